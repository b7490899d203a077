// Package auth is identity for Solidarity: accounts, roles and permissions, passwords
// (argon2id, NIST SP 800-63B rules), sign-in with lockout, server-side sessions, two-factor
// (TOTP, recovery codes, passkeys), invitations, password reset and API keys. It touches
// only its own tables and reaches the audit log, mail and rate limits through the small
// interfaces below, which the composition root fills with the real services.
package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"

	"solidarity/internal/db"
	"solidarity/internal/i18n"
	"solidarity/internal/notify"
)

// AuditEntry is one line of the audit log as auth writes it: who (Actor is a label such as
// "account:12", ActorName the display name at the time), what (Action such as
// "auth.signin"), on what (Object such as "account:12") and an optional non-personal Detail.
type AuditEntry struct {
	Actor     string
	ActorName string
	Action    string
	Object    string
	Detail    string
}

// Auditor appends to the audit log inside the caller's transaction.
type Auditor interface {
	Record(ctx context.Context, tx *db.Tx, e AuditEntry) error
}

// Mailer queues an e-mail inside the caller's transaction, so that it leaves only if the
// change that caused it commits.
type Mailer interface {
	Email(ctx context.Context, tx *db.Tx, m notify.Email) (int64, error)
}

// Limiter counts one attempt of subject in bucket and says whether it is within limit per
// window; when not, it also says how long to wait.
type Limiter interface {
	Allow(ctx context.Context, bucket, subject string, limit int, window time.Duration) (bool, time.Duration, error)
}

// Config is what an operator's settings decide for auth.
type Config struct {
	// BaseURL is the public address of the system (https://network.example.org). Links in
	// invitation and reset mails start with it, and passkeys are bound to its host. Empty
	// means http://localhost:8080.
	BaseURL string
	// Issuer is the name authenticator apps show next to the code; empty means "Solidarity".
	Issuer string
	// Password sets the argon2id cost; the zero value means DefaultPasswordParams(). Tests use
	// a cheaper setting; production keeps the default.
	Password PasswordParams
	// MaxConcurrentHashes bounds how many password hashes run at once (each takes
	// Password.Memory KiB), so that a burst of sign-ins cannot exhaust memory. Zero means
	// twice the number of CPUs.
	MaxConcurrentHashes int
}

// Deps are the services auth calls. All are required.
type Deps struct {
	DB      *db.DB
	Audit   Auditor
	Mail    Mailer
	Limit   Limiter
	Catalog *i18n.Catalog
	Log     *slog.Logger
}

// Service runs every identity use case. It is safe for concurrent use.
type Service struct {
	db       *db.DB
	audit    Auditor
	mail     Mailer
	limit    Limiter
	catalog  *i18n.Catalog
	log      *slog.Logger
	base     *url.URL
	issuer   string
	params   PasswordParams
	hashes   chan struct{} // one slot per password hash allowed to run at once
	webauthn *webauthn.WebAuthn
	dummy    string // hash of a random password, verified when an account is missing
}

// New builds the service. It hashes one throwaway password at start so that sign-in for an
// unknown e-mail costs the same as for a known one.
func New(cfg Config, deps Deps) (*Service, error) {
	switch {
	case deps.DB == nil:
		return nil, errors.New("auth: no database")
	case deps.Audit == nil:
		return nil, errors.New("auth: no audit log")
	case deps.Mail == nil:
		return nil, errors.New("auth: no mailer")
	case deps.Limit == nil:
		return nil, errors.New("auth: no rate limiter")
	case deps.Catalog == nil:
		return nil, errors.New("auth: no message catalog")
	}
	if deps.Log == nil {
		deps.Log = slog.Default()
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://localhost:8080"
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Hostname() == "" {
		return nil, fmt.Errorf("auth: base URL %q is not an http(s) address", cfg.BaseURL)
	}
	if cfg.Issuer == "" {
		cfg.Issuer = "Solidarity"
	}
	if cfg.Password == (PasswordParams{}) {
		cfg.Password = DefaultPasswordParams()
	}
	if err := cfg.Password.check(); err != nil {
		return nil, fmt.Errorf("auth: password parameters: %w", err)
	}
	if cfg.MaxConcurrentHashes <= 0 {
		cfg.MaxConcurrentHashes = 2 * runtime.NumCPU()
	}
	wa, err := webauthn.New(&webauthn.Config{
		RPID:          base.Hostname(),
		RPDisplayName: cfg.Issuer,
		RPOrigins:     []string{base.Scheme + "://" + base.Host},
	})
	if err != nil {
		return nil, fmt.Errorf("auth: passkeys: %w", err)
	}
	s := &Service{
		db: deps.DB, audit: deps.Audit, mail: deps.Mail, limit: deps.Limit,
		catalog: deps.Catalog, log: deps.Log, base: base, issuer: cfg.Issuer,
		params: cfg.Password, hashes: make(chan struct{}, cfg.MaxConcurrentHashes),
		webauthn: wa,
	}
	if s.dummy, err = s.hashPassword(context.Background(), randomToken()); err != nil {
		return nil, err
	}
	return s, nil
}

// record writes an audit entry for actor, wrapping a failure with the action's name.
func (s *Service) record(ctx context.Context, tx *db.Tx, actor Actor, action, object, detail string) error {
	err := s.audit.Record(ctx, tx, AuditEntry{
		Actor: actor.Label(), ActorName: actor.Name, Action: action, Object: object, Detail: detail,
	})
	if err != nil {
		return fmt.Errorf("auth: audit %s: %w", action, err)
	}
	return nil
}

// accountObject is how audit entries name an account.
func accountObject(id int64) string { return fmt.Sprintf("account:%d", id) }

// link returns an absolute address under the base URL.
func (s *Service) link(path string) string {
	return s.base.String() + path
}

// inTx runs fn in a write transaction and returns its failure as a coded error.
func (s *Service) inTx(ctx context.Context, fn func(*db.Tx) error) error {
	return coded(s.db.InTx(ctx, fn))
}
