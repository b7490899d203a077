package auth_test

import (
	"bytes"
	"testing"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

func TestPendingTOTP(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "typo@example.org"
		e.account(t, email, auth.RoleCaseworker)
		g := e.signIn(t, email)
		if g.Stage != auth.StageEnrol {
			t.Fatalf("caseworker without two-factor: stage %s, want enrol", g.Stage)
		}
		_, err := e.svc.PendingTOTP(e.ctx, g.Token)
		wantKey(t, err, errs.CodeInvalid, "auth.totp.not_started")

		setup, err := e.svc.BeginTOTP(e.ctx, g.Token)
		if err != nil {
			t.Fatal(err)
		}
		// A mistyped code, then the page asks again: the same secret and QR code come back.
		_, err = e.svc.ConfirmTOTP(e.ctx, g.Token, "000000")
		wantField(t, err, "code", "auth.second_factor.invalid")
		again, err := e.svc.PendingTOTP(e.ctx, g.Token)
		if err != nil {
			t.Fatal(err)
		}
		if again.Secret != setup.Secret || again.URL != setup.URL {
			t.Errorf("pending set-up = %q %q, want the begun one %q %q", again.Secret, again.URL, setup.Secret, setup.URL)
		}
		if !bytes.HasPrefix(again.QR, []byte("\x89PNG")) {
			t.Error("pending set-up has no PNG QR code")
		}
		en, err := e.svc.ConfirmTOTP(e.ctx, g.Token, e.code(t, again.Secret))
		if err != nil || en.SignedIn == nil {
			t.Fatalf("confirm with the shown secret: %v %+v", err, en)
		}
		// Confirmed: nothing is pending any more, and the old token is gone.
		_, err = e.svc.PendingTOTP(e.ctx, en.SignedIn.Token)
		wantKey(t, err, errs.CodeInvalid, "auth.totp.not_started")
		_, err = e.svc.PendingTOTP(e.ctx, g.Token)
		if errs.CodeOf(err) != errs.CodeUnauthenticated {
			t.Errorf("pending set-up through the replaced token: %v, want unauthenticated", err)
		}
	})
}

func TestPendingTOTPTimesOutAndNeedsEnrollingSession(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "slow@example.org"
		e.account(t, email, auth.RoleMember)
		g := e.signIn(t, email)
		if _, err := e.svc.BeginTOTP(e.ctx, g.Token); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(11 * time.Minute)
		_, err := e.svc.PendingTOTP(e.ctx, g.Token)
		wantKey(t, err, errs.CodeInvalid, "auth.totp.not_started")

		// A session waiting for its second factor may not read a pending secret.
		const other = "second@example.org"
		e.account(t, other, auth.RoleMember)
		e.enrolTOTP(t, other)
		pending := e.signIn(t, other)
		if pending.Stage != auth.StageSecondFactor {
			t.Fatalf("stage %s, want second factor", pending.Stage)
		}
		_, err = e.svc.PendingTOTP(e.ctx, pending.Token)
		wantKey(t, err, errs.CodeUnauthenticated, auth.KeySessionSecondFactor)
	})
}
