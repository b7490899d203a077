package auth_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

func TestSignIn(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		a := e.account(t, "member@example.org", auth.RoleMember)

		g, err := e.svc.SignIn(e.ctx, "  Member@Example.ORG ", passwordFor("member@example.org"), client("c1"))
		if err != nil {
			t.Fatalf("sign in with a differently written address: %v", err)
		}
		if g.Stage != auth.StageFull || g.AccountID != a.ID || len(g.Token) != 43 {
			t.Fatalf("grant = %+v, want a full session for account %d with a 43-character token", g, a.ID)
		}
		if want := e.clock.Now().Add(auth.StandardAbsolute); !g.ExpiresAt.Equal(want) {
			t.Errorf("expires %v, want %v (standard session)", g.ExpiresAt, want)
		}
		actor := e.actorOf(t, g)
		if actor.Kind != auth.KindAccount || actor.ID != a.ID || actor.Role != auth.RoleMember || actor.Name != "Test member" {
			t.Fatalf("actor = %+v", actor)
		}
		if got := e.audit.find("auth.signin"); len(got) != 1 || got[0].Actor != "account:"+itoa(a.ID) || got[0].Object != "account:"+itoa(a.ID) {
			t.Fatalf("sign-in audit = %+v", got)
		}

		// A wrong password and an unknown address fail the same way.
		_, wrong := e.svc.SignIn(e.ctx, "member@example.org", "not the right passphrase", client("c1"))
		wantKey(t, wrong, errs.CodeInvalid, auth.KeySignInFailed)
		_, unknown := e.svc.SignIn(e.ctx, "nobody.here@example.org", "not the right passphrase", client("c1"))
		wantKey(t, unknown, errs.CodeInvalid, auth.KeySignInFailed)
		if wrong.Error() != unknown.Error() {
			t.Fatalf("errors differ: %q vs %q", wrong, unknown)
		}
		failed := e.audit.find("auth.signin.failed")
		if len(failed) != 2 || failed[0].Object != "account:"+itoa(a.ID) || failed[1].Object != "account:unknown" {
			t.Fatalf("failed sign-in audit = %+v", failed)
		}
		for _, f := range failed {
			if strings.Contains(f.Object+f.Detail+f.ActorName, "nobody") || strings.Contains(f.Detail, "passphrase") {
				t.Fatalf("audit entry leaks the attempt: %+v", f)
			}
		}

		// A disabled account cannot sign in, even with its password, and says nothing more.
		if err := e.svc.DisableAccount(e.ctx, system, a.ID); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.SignIn(e.ctx, "member@example.org", passwordFor("member@example.org"), client("c1"))
		wantKey(t, err, errs.CodeInvalid, auth.KeySignInFailed)
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestLockout(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "locked@example.org"
		e.account(t, email, auth.RoleOrganizer)
		right := passwordFor(email)
		try := func(pw string) error {
			_, err := e.svc.SignIn(e.ctx, email, pw, client("c-"+email))
			return err
		}
		for i := range auth.LockAfter {
			wantKey(t, try("wrong passphrase number "+itoa(int64(i))), errs.CodeInvalid, auth.KeySignInFailed)
		}
		// Locked: even the right password fails, with the same error.
		wantKey(t, try(right), errs.CodeInvalid, auth.KeySignInFailed)
		e.clock.Advance(auth.LockFirst - time.Second)
		wantKey(t, try(right), errs.CodeInvalid, auth.KeySignInFailed)
		e.clock.Advance(2 * time.Second)
		if err := try(right); err != nil {
			t.Fatalf("after the lock: %v", err)
		}

		// Success clears the count: four failures do not lock.
		for range auth.LockAfter - 1 {
			_ = try("another wrong passphrase")
		}
		if err := try(right); err != nil {
			t.Fatalf("four failures locked the account: %v", err)
		}

		// The lock doubles with each failure past the threshold, up to LockMax.
		for range auth.LockAfter + 1 {
			_ = try("another wrong passphrase")
			e.clock.Advance(auth.LockMax) // let each lock run out so every try counts
		}
		// Failures 5 and 6 set locks of 1 and 2 minutes; an immediate new failure (7th)
		// locks for 4 minutes.
		_ = try("another wrong passphrase")
		e.clock.Advance(3*time.Minute + 59*time.Second)
		wantKey(t, try(right), errs.CodeInvalid, auth.KeySignInFailed)
		e.clock.Advance(2 * time.Second)
		if err := try(right); err != nil {
			t.Fatalf("after the doubled lock: %v", err)
		}
		acct, err := e.svc.AccountByEmail(e.ctx, system, email)
		if err != nil {
			t.Fatal(err)
		}
		if acct.FailedSignIns != 0 || acct.LockedUntil != nil {
			t.Fatalf("after success: %d failures, locked until %v", acct.FailedSignIns, acct.LockedUntil)
		}
	})
}

func TestSignInClientLimit(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "busy@example.org"
		e.account(t, email, auth.RoleMember)
		for i := range auth.ClientAttempts {
			// Unknown addresses, so that the account lock plays no part.
			_, err := e.svc.SignIn(e.ctx, "guess"+itoa(int64(i))+"@example.org", "some wrong passphrase", client("flood"))
			wantKey(t, err, errs.CodeInvalid, auth.KeySignInFailed)
		}
		_, err := e.svc.SignIn(e.ctx, email, passwordFor(email), client("flood"))
		wantKey(t, err, errs.CodeTooMany, "error.too_many")
		if _, err := e.svc.SignIn(e.ctx, email, passwordFor(email), client("elsewhere")); err != nil {
			t.Fatalf("another client: %v", err)
		}
		e.clock.Advance(auth.ClientWindow)
		if _, err := e.svc.SignIn(e.ctx, email, passwordFor(email), client("flood")); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}
