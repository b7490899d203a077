package auth

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base32"
	"image/png"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// PendingTOTP returns the authenticator-app enrolment the session started with BeginTOTP
// and has not confirmed yet, so that the set-up page can show the same QR code again after
// a mistyped code instead of a new one the app does not know. Like ConfirmTOTP, it needs a
// session that may enrol; an enrolment never started, or started too long ago, is field
// "code" with auth.totp.not_started.
func (s *Service) PendingTOTP(ctx context.Context, token string) (TOTPSetup, error) {
	r, err := s.enrolling(ctx, token)
	if err != nil {
		return TOTPSetup{}, err
	}
	var email, pending string
	var started sql.NullTime
	err = s.db.QueryRowContext(ctx, "SELECT email, totp_pending, totp_pending_at FROM accounts WHERE id = ?", r.AccountID).
		Scan(&email, &pending, &started)
	if err != nil {
		return TOTPSetup{}, db.Translate(err, "auth.account.not_found", "")
	}
	if pending == "" || !started.Valid || s.db.Now().Sub(started.Time) > totpConfirm {
		return TOTPSetup{}, errs.Invalid("code", "auth.totp.not_started")
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(pending)
	if err != nil {
		return TOTPSetup{}, errs.Internalf("auth: decode pending TOTP secret: %w", err)
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.issuer, AccountName: email, Period: totpPeriod, Secret: raw})
	if err != nil {
		return TOTPSetup{}, errs.Internalf("auth: rebuild TOTP key: %w", err)
	}
	return totpSetup(key)
}

// totpSetup renders a key as the enrolment page shows it: URL, secret and a QR code.
func totpSetup(key *otp.Key) (TOTPSetup, error) {
	img, err := key.Image(256, 256)
	if err != nil {
		return TOTPSetup{}, errs.Internalf("auth: TOTP QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return TOTPSetup{}, errs.Internalf("auth: TOTP QR code: %w", err)
	}
	return TOTPSetup{URL: key.URL(), Secret: key.Secret(), QR: buf.Bytes()}, nil
}
