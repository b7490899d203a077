package auth

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"image/png"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// TOTP settings: the authenticator-app defaults every app understands (RFC 6238: SHA-1,
// six digits, 30 seconds), a 160-bit secret, and one step of clock drift either way.
const (
	totpPeriod  = 30
	totpSkew    = 1
	totpConfirm = 10 * time.Minute // how long a started enrolment waits for its first code
)

// TOTPSetup is what the enrolment page shows: a QR code for the app to scan, and the same
// secret as text and as an otpauth:// URL for those who type it in.
type TOTPSetup struct {
	URL    string
	Secret string
	QR     []byte // PNG
}

// BeginTOTP starts enrolling an authenticator app for the session's account. The secret
// waits unconfirmed until ConfirmTOTP proves the app has it; starting again replaces it.
func (s *Service) BeginTOTP(ctx context.Context, token string) (TOTPSetup, error) {
	r, err := s.enrolling(ctx, token)
	if err != nil {
		return TOTPSetup{}, err
	}
	var setup TOTPSetup
	err = s.inTx(ctx, func(tx *db.Tx) error {
		var email string
		var enabled bool
		if err := tx.QueryRowContext(ctx, "SELECT email, totp_secret <> '' FROM accounts WHERE id = ?", r.AccountID).Scan(&email, &enabled); err != nil {
			return db.Translate(err, "auth.account.not_found", "")
		}
		if enabled {
			return errs.Conflict("auth.totp.enabled")
		}
		key, err := totp.Generate(totp.GenerateOpts{Issuer: s.issuer, AccountName: email, Period: totpPeriod, SecretSize: 20})
		if err != nil {
			return fmt.Errorf("auth: generate TOTP secret: %w", err)
		}
		img, err := key.Image(256, 256)
		if err != nil {
			return fmt.Errorf("auth: TOTP QR code: %w", err)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return fmt.Errorf("auth: TOTP QR code: %w", err)
		}
		setup = TOTPSetup{URL: key.URL(), Secret: key.Secret(), QR: buf.Bytes()}
		_, err = tx.ExecContext(ctx, "UPDATE accounts SET totp_pending = ?, totp_pending_at = ? WHERE id = ?", key.Secret(), tx.Now, r.AccountID)
		return err
	})
	if err != nil {
		return TOTPSetup{}, errs.As(err)
	}
	return setup, nil
}

// ConfirmTOTP finishes enrolling the authenticator app with a first code from it. For a
// first factor it returns ten recovery codes, shown once; for a session that had to enrol
// before signing in, it also signs the session in (see Enrolment). A wrong code is field
// "code" with auth.second_factor.invalid; no enrolment started (or started over ten
// minutes ago), auth.totp.not_started.
func (s *Service) ConfirmTOTP(ctx context.Context, token, code string) (Enrolment, error) {
	r, err := s.enrolling(ctx, token)
	if err != nil {
		return Enrolment{}, err
	}
	var e Enrolment
	err = s.inTx(ctx, func(tx *db.Tx) error {
		a, err := s.account(ctx, tx, r.AccountID)
		if err != nil {
			return err
		}
		if a.TOTP {
			return errs.Conflict("auth.totp.enabled")
		}
		var pending string
		var started sql.NullTime
		if err := tx.QueryRowContext(ctx, "SELECT totp_pending, totp_pending_at FROM accounts WHERE id = ?", a.ID).Scan(&pending, &started); err != nil {
			return fmt.Errorf("auth: read TOTP enrolment: %w", err)
		}
		if pending == "" || !started.Valid || tx.Now.Sub(started.Time) > totpConfirm {
			return errs.Invalid("code", "auth.totp.not_started")
		}
		step, ok := checkTOTP(pending, 0, code, tx.Now)
		if !ok {
			return errs.Invalid("code", "auth.second_factor.invalid")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET totp_secret = ?, totp_last_step = ?, totp_pending = '',
			totp_pending_at = NULL, updated_at = ? WHERE id = ?`, pending, step, tx.Now, a.ID); err != nil {
			return fmt.Errorf("auth: enable TOTP: %w", err)
		}
		e, err = s.finishEnrolment(ctx, tx, r, a, a.TwoFactor(), "auth.2fa.totp.enable", "")
		return err
	})
	if err != nil {
		return Enrolment{}, errs.As(err)
	}
	return e, nil
}

// RemoveTOTP removes the account's authenticator app. A role that needs two-factor keeps
// its last factor: removing it is a conflict with auth.second_factor.required.
func (s *Service) RemoveTOTP(ctx context.Context, actor Actor) error {
	if actor.Kind != KindAccount || actor.ID == 0 {
		return errs.Unauthenticated()
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		a, err := s.account(ctx, tx, actor.ID)
		if err != nil {
			return err
		}
		if !a.TOTP {
			return errs.NotFound("auth.totp.not_enabled")
		}
		if err := removeFactorAllowed(a, a.Passkeys > 0); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET totp_secret = '', totp_last_step = 0, updated_at = ?
			WHERE id = ?`, tx.Now, a.ID); err != nil {
			return fmt.Errorf("auth: remove TOTP: %w", err)
		}
		if a.Passkeys == 0 {
			if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE account_id = ?", a.ID); err != nil {
				return fmt.Errorf("auth: drop recovery codes: %w", err)
			}
		}
		return s.record(ctx, tx, actor, "auth.2fa.totp.remove", accountObject(a.ID), "")
	})
}

// checkTOTP reports whether code is valid for secret at now, within one step of drift, and
// which time step it belongs to. Steps at or before lastStep are refused: a code works
// once, and an older one stops working once a newer one was used.
func checkTOTP(secret string, lastStep int64, code string, now time.Time) (int64, bool) {
	code = normalizeCode(code)
	if secret == "" || len(code) != 6 {
		return 0, false
	}
	opts := hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	current := now.Unix() / totpPeriod
	for step := current - totpSkew; step <= current+totpSkew; step++ {
		if step <= lastStep {
			continue
		}
		if ok, err := hotp.ValidateCustom(code, uint64(step), secret, opts); err == nil && ok {
			return step, true
		}
	}
	return 0, false
}
