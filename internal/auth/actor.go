package auth

import (
	"context"
	"fmt"

	"solidarity/internal/errs"
)

// Kind says what sort of principal an Actor is.
type Kind string

// The kinds of actor.
const (
	KindPublic  Kind = "public"  // nobody signed in: a visitor, a public form
	KindAccount Kind = "account" // a person signed in with a full session
	KindAPIKey  Kind = "apikey"  // a program holding an API key
	KindSystem  Kind = "system"  // the system itself: jobs, the command line
)

// Actor is who is doing something: every service method that changes state takes one and
// checks its permissions itself.
type Actor struct {
	Kind Kind
	// ID is the account or API key id; 0 for public and system actors.
	ID int64
	// Name is the display name at the time, for the audit log.
	Name string
	Role Role
	// SessionID is the session the account acts through; 0 otherwise.
	SessionID int64
}

// Public returns the actor for someone not signed in.
func Public() Actor { return Actor{Kind: KindPublic} }

// System returns the actor for the system itself; name says which part ("cli",
// "retention"). The system may do everything, so only code paths that an operator starts
// on the server (the command line, scheduled jobs) may use it.
func System(name string) Actor { return Actor{Kind: KindSystem, Name: name} }

// Can reports whether the actor may do p. API keys never reach sensitive data, whatever
// their role says, because they bypass two-factor.
func (a Actor) Can(p Permission) bool {
	switch a.Kind {
	case KindSystem:
		return true
	case KindAccount:
		return a.ID != 0 && a.Role.Can(p)
	case KindAPIKey:
		return a.ID != 0 && a.Role.Can(p) && !p.Sensitive()
	default:
		return false
	}
}

// Require returns nil when the actor may do p, errs.Unauthenticated when nobody is signed
// in, and errs.Forbidden otherwise.
func (a Actor) Require(p Permission) error {
	if a.Can(p) {
		return nil
	}
	if !a.Authenticated() {
		return errs.Unauthenticated()
	}
	return errs.Forbidden()
}

// Authenticated reports whether the actor is a known principal (account, API key or the
// system), not a public visitor.
func (a Actor) Authenticated() bool {
	switch a.Kind {
	case KindSystem:
		return true
	case KindAccount, KindAPIKey:
		return a.ID != 0
	default:
		return false
	}
}

// IsAccount reports whether the actor is the signed-in account id.
func (a Actor) IsAccount(id int64) bool { return a.Kind == KindAccount && a.ID != 0 && a.ID == id }

// Label names the actor in the audit log: "account:12", "apikey:3", "system:cli", "public".
func (a Actor) Label() string {
	switch a.Kind {
	case KindAccount, KindAPIKey:
		return fmt.Sprintf("%s:%d", a.Kind, a.ID)
	case KindSystem:
		if a.Name != "" {
			return "system:" + a.Name
		}
		return "system"
	default:
		return "public"
	}
}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor the context carries, or the public actor.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Public()
}
