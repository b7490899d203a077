package auth_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

// code returns the authenticator app's current code for secret.
func (e *env) code(t testing.TB, secret string) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// totpEnrol signs in and enrols an authenticator app, returning a full session, the
// secret and the recovery codes.
func (e *env) totpEnrol(t testing.TB, email string) (auth.Grant, string, []string) {
	t.Helper()
	g := e.signIn(t, email)
	setup, err := e.svc.BeginTOTP(e.ctx, g.Token)
	if err != nil {
		t.Fatalf("begin TOTP: %v", err)
	}
	en, err := e.svc.ConfirmTOTP(e.ctx, g.Token, e.code(t, setup.Secret))
	if err != nil {
		t.Fatalf("confirm TOTP: %v", err)
	}
	if en.SignedIn != nil {
		g = *en.SignedIn
	}
	return g, setup.Secret, en.RecoveryCodes
}

func (e *env) enrolTOTP(t testing.TB, email string) auth.Grant {
	g, _, _ := e.totpEnrol(t, email)
	return g
}

func TestTOTPEnrolAndVerify(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "app@example.org"
		e.account(t, email, auth.RoleOrganizer)
		g := e.signIn(t, email)
		if g.Stage != auth.StageFull {
			t.Fatalf("organizer without two-factor: stage %s, want full", g.Stage)
		}
		setup, err := e.svc.BeginTOTP(e.ctx, g.Token)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(setup.URL, "otpauth://totp/Solidarity:app@example.org?") || !strings.Contains(setup.URL, "secret="+setup.Secret) {
			t.Errorf("otpauth URL = %q", setup.URL)
		}
		if !bytes.HasPrefix(setup.QR, []byte("\x89PNG\r\n\x1a\n")) {
			t.Error("QR code is not a PNG")
		}
		wantField(t, errOnly(e.svc.ConfirmTOTP(e.ctx, g.Token, "000000")), "code", "auth.second_factor.invalid")
		en, err := e.svc.ConfirmTOTP(e.ctx, g.Token, e.code(t, setup.Secret))
		if err != nil {
			t.Fatal(err)
		}
		if len(en.RecoveryCodes) != auth.RecoveryCodes || en.SignedIn != nil {
			t.Fatalf("enrolment = %+v, want %d recovery codes and no new session", en, auth.RecoveryCodes)
		}
		_, err = e.svc.BeginTOTP(e.ctx, g.Token)
		wantKey(t, err, errs.CodeConflict, "auth.totp.enabled")

		// The next sign-in waits for a code; the pending session is no session yet.
		p := e.signIn(t, email)
		if p.Stage != auth.StageSecondFactor {
			t.Fatalf("stage %s, want second_factor", p.Stage)
		}
		_, err = e.svc.Session(e.ctx, p.Token)
		wantKey(t, err, errs.CodeUnauthenticated, auth.KeySessionSecondFactor)
		pending, err := e.svc.PendingSession(e.ctx, p.Token)
		if err != nil || !pending.TOTP || pending.Stage != auth.StageSecondFactor {
			t.Fatalf("pending = %+v, %v", pending, err)
		}
		// A password alone must not add a factor.
		_, err = e.svc.BeginTOTP(e.ctx, p.Token)
		wantKey(t, err, errs.CodeUnauthenticated, auth.KeySessionSecondFactor)
		_, err = e.svc.BeginPasskeyRegistration(e.ctx, p.Token)
		wantKey(t, err, errs.CodeUnauthenticated, auth.KeySessionSecondFactor)

		// The code used to confirm cannot be replayed, even within its 30 seconds.
		wantField(t, errOnly(e.svc.VerifySecondFactor(e.ctx, p.Token, e.code(t, setup.Secret))), "code", "auth.second_factor.invalid")
		e.clock.Advance(30 * time.Second)
		fresh := e.code(t, setup.Secret)
		full, err := e.svc.VerifySecondFactor(e.ctx, p.Token, fresh[:3]+" "+fresh[3:])
		if err != nil {
			t.Fatalf("verify a fresh code typed with a space: %v", err)
		}
		if full.Stage != auth.StageFull || full.Token == p.Token {
			t.Fatalf("grant = %+v, want a full session under a new token", full)
		}
		e.actorOf(t, full)
		_, err = e.svc.Session(e.ctx, p.Token)
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")

		// Replay on another sign-in is refused too.
		p2 := e.signIn(t, email)
		wantField(t, errOnly(e.svc.VerifySecondFactor(e.ctx, p2.Token, fresh)), "code", "auth.second_factor.invalid")
		if got := e.audit.find("auth.second_factor.failed"); len(got) != 2 {
			t.Fatalf("failed second factor audited %d times, want 2", len(got))
		}
	})
}

func errOnly[T any](_ T, err error) error { return err }

func TestRecoveryCodes(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "rec@example.org"
		e.account(t, email, auth.RoleMember)
		full, _, codes := e.totpEnrol(t, email)
		seen := map[string]bool{}
		for _, c := range codes {
			if len(c) != 19 || c[4] != '-' || seen[c] {
				t.Fatalf("recovery code %q malformed or repeated", c)
			}
			seen[c] = true
		}
		p := e.signIn(t, email)
		g, err := e.svc.VerifySecondFactor(e.ctx, p.Token, strings.ToUpper(codes[0]))
		if err != nil {
			t.Fatalf("recovery code in capitals: %v", err)
		}
		e.actorOf(t, g)
		p = e.signIn(t, email)
		wantField(t, errOnly(e.svc.VerifySecondFactor(e.ctx, p.Token, codes[0])), "code", "auth.second_factor.invalid")
		left, err := e.svc.RecoveryCodesLeft(e.ctx, e.actorOf(t, full))
		if err != nil || left != auth.RecoveryCodes-1 {
			t.Fatalf("left = %d, %v; want %d", left, err, auth.RecoveryCodes-1)
		}
		fresh, err := e.svc.RegenerateRecoveryCodes(e.ctx, e.actorOf(t, full))
		if err != nil || len(fresh) != auth.RecoveryCodes {
			t.Fatalf("regenerate: %d codes, %v", len(fresh), err)
		}
		wantField(t, errOnly(e.svc.VerifySecondFactor(e.ctx, p.Token, codes[1])), "code", "auth.second_factor.invalid")
		if _, err := e.svc.VerifySecondFactor(e.ctx, p.Token, fresh[1]); err != nil {
			t.Fatalf("new recovery code: %v", err)
		}
	})
}

func TestSecondFactorGuessingLocks(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "guess@example.org"
		e.account(t, email, auth.RoleMember)
		_, secret, _ := e.totpEnrol(t, email)
		e.clock.Advance(time.Minute)
		p := e.signIn(t, email)
		for range auth.LockAfter - 2 {
			wantField(t, errOnly(e.svc.VerifySecondFactor(e.ctx, p.Token, "123456")), "code", "auth.second_factor.invalid")
		}
		// Giving the password again does not wipe the count of wrong codes.
		p = e.signIn(t, email)
		for range 2 {
			wantField(t, errOnly(e.svc.VerifySecondFactor(e.ctx, p.Token, "123456")), "code", "auth.second_factor.invalid")
		}
		// Locked: the pending session is gone, and the right code no longer helps.
		_, err := e.svc.VerifySecondFactor(e.ctx, p.Token, e.code(t, secret))
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")
		_, err = e.svc.SignIn(e.ctx, email, passwordFor(email), client("x"))
		wantKey(t, err, errs.CodeInvalid, auth.KeySignInFailed)
	})
}

func TestSensitiveRoleMustEnrol(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "dispatch@example.org"
		a := e.account(t, email, auth.RoleDispatcher)
		e.account(t, "boss@example.org", auth.RoleAdministrator)
		p := e.signIn(t, email)
		if p.Stage != auth.StageEnrol {
			t.Fatalf("dispatcher without two-factor: stage %s, want enrol", p.Stage)
		}
		if want := e.clock.Now().Add(auth.PendingAbsolute); !p.ExpiresAt.Equal(want) {
			t.Errorf("pending session expires %v, want %v", p.ExpiresAt, want)
		}
		// The enrolment-only session reaches nothing else.
		_, err := e.svc.Session(e.ctx, p.Token)
		wantKey(t, err, errs.CodeUnauthenticated, auth.KeySessionEnrol)
		_, err = e.svc.VerifySecondFactor(e.ctx, p.Token, "123456")
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")

		setup, err := e.svc.BeginTOTP(e.ctx, p.Token)
		if err != nil {
			t.Fatal(err)
		}
		en, err := e.svc.ConfirmTOTP(e.ctx, p.Token, e.code(t, setup.Secret))
		if err != nil {
			t.Fatal(err)
		}
		if en.SignedIn == nil || en.SignedIn.Stage != auth.StageFull || len(en.RecoveryCodes) != auth.RecoveryCodes {
			t.Fatalf("enrolment = %+v, want a full session and recovery codes", en)
		}
		actor := e.actorOf(t, *en.SignedIn)
		if actor.Role != auth.RoleDispatcher || !actor.Can(auth.PermResponseDispatch) {
			t.Fatalf("actor = %+v", actor)
		}
		_, err = e.svc.Session(e.ctx, p.Token)
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")

		// The last factor of a sensitive role stays.
		wantKey(t, e.svc.RemoveTOTP(e.ctx, actor), errs.CodeConflict, "auth.second_factor.required")

		// An administrator resets it for a lost phone: sessions end, enrolment is due again.
		boss := e.actorOf(t, e.enrolTOTP(t, "boss@example.org"))
		if err := e.svc.ResetTwoFactor(e.ctx, boss, a.ID); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Session(e.ctx, en.SignedIn.Token)
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")
		if p := e.signIn(t, email); p.Stage != auth.StageEnrol {
			t.Fatalf("after reset: stage %s, want enrol", p.Stage)
		}
		wantKey(t, e.svc.ResetTwoFactor(e.ctx, actor, a.ID), errs.CodeForbidden, "error.forbidden")
	})
}
