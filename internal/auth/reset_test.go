package auth_test

import (
	"strings"
	"testing"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

func TestPasswordReset(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "forgot@example.org"
		e.account(t, email, auth.RoleOrganizer)
		old := e.signIn(t, email)

		// Known and unknown addresses get the same answer; only the known one gets mail.
		if err := e.svc.RequestReset(e.ctx, "Forgot@Example.org", client("r")); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.RequestReset(e.ctx, "stranger@example.org", client("r")); err != nil {
			t.Fatalf("unknown address: %v, want the same nil answer", err)
		}
		if n := len(e.mail.to("stranger@example.org")); n != 0 {
			t.Fatalf("%d mails to an address without an account", n)
		}
		m := e.mail.to(email)
		if len(m) != 1 || m[0].Subject != "Reset your Solidarity password" || !strings.Contains(m[0].Text, "30 minutes") {
			t.Fatalf("reset mail = %+v", m)
		}
		token := e.linkToken(t, email, auth.ResetPath)
		if err := e.svc.CheckReset(e.ctx, token); err != nil {
			t.Fatal(err)
		}

		wantField(t, e.svc.ResetPassword(e.ctx, token, "password1234"), "password", "auth.password.common")
		const fresh = "seven copper kettles whistle"
		if err := e.svc.ResetPassword(e.ctx, token, fresh); err != nil {
			t.Fatal(err)
		}
		// Every session ended; the new password works and the old one does not.
		_, err := e.svc.Session(e.ctx, old.Token)
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")
		if _, err := e.svc.SignIn(e.ctx, email, fresh, client("r")); err != nil {
			t.Fatalf("new password: %v", err)
		}
		_, err = e.svc.SignIn(e.ctx, email, passwordFor(email), client("r"))
		wantKey(t, err, errs.CodeInvalid, auth.KeySignInFailed)
		// Single use.
		wantKey(t, e.svc.ResetPassword(e.ctx, token, "another copper kettle sings"), errs.CodeNotFound, "auth.reset.invalid")
	})
}

func TestPasswordResetExpiresAndClearsLockout(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "slow@example.org"
		e.account(t, email, auth.RoleMember)
		if err := e.svc.RequestReset(e.ctx, email, client("r")); err != nil {
			t.Fatal(err)
		}
		token := e.linkToken(t, email, auth.ResetPath)
		e.clock.Advance(auth.ResetTTL)
		wantKey(t, e.svc.ResetPassword(e.ctx, token, "seven copper kettles whistle"), errs.CodeNotFound, "auth.reset.expired")

		// Someone locked the account by guessing; a reset lets its owner back in at once.
		for range auth.LockAfter {
			_, _ = e.svc.SignIn(e.ctx, email, "guessing wrong again", client("attacker"))
		}
		if err := e.svc.RequestReset(e.ctx, email, client("r")); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.ResetPassword(e.ctx, e.linkToken(t, email, auth.ResetPath), "seven copper kettles whistle"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SignIn(e.ctx, email, "seven copper kettles whistle", client("r")); err != nil {
			t.Fatalf("after reset: %v", err)
		}
	})
}

func TestPasswordResetLimits(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "flood@example.org"
		e.account(t, email, auth.RoleMember)
		for i := range auth.ResetEmailAttempts + 2 {
			if err := e.svc.RequestReset(e.ctx, email, client("c"+itoa(int64(i)))); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(e.mail.to(email)); n != auth.ResetEmailAttempts {
			t.Fatalf("%d mails in an hour, want %d", n, auth.ResetEmailAttempts)
		}
		for i := range auth.ResetClientAttempts {
			_ = e.svc.RequestReset(e.ctx, "someone"+itoa(int64(i))+"@example.org", client("bot"))
		}
		wantKey(t, e.svc.RequestReset(e.ctx, "one-more@example.org", client("bot")), errs.CodeTooMany, "error.too_many")
		e.clock.Advance(time.Hour)
		if err := e.svc.RequestReset(e.ctx, email, client("bot")); err != nil {
			t.Fatal(err)
		}
		if n := len(e.mail.to(email)); n != auth.ResetEmailAttempts+1 {
			t.Fatalf("%d mails after an hour, want %d", n, auth.ResetEmailAttempts+1)
		}
	})
}

func TestChangePassword(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "change@example.org"
		e.account(t, email, auth.RoleMember)
		other := e.signIn(t, email)
		here := e.signIn(t, email)
		me := e.actorOf(t, here)
		wantField(t, e.svc.ChangePassword(e.ctx, me, "not my password at all", "seven copper kettles whistle"), "current", "auth.password.wrong")
		wantField(t, e.svc.ChangePassword(e.ctx, me, passwordFor(email), "change"+"@example.org is mine"), "password", "auth.password.personal")
		if err := e.svc.ChangePassword(e.ctx, me, passwordFor(email), "seven copper kettles whistle"); err != nil {
			t.Fatal(err)
		}
		e.actorOf(t, here) // this session goes on
		_, err := e.svc.Session(e.ctx, other.Token)
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")
	})
}
