package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Password reset settings. A client may ask for ResetClientAttempts resets per hour; one
// address gets at most ResetEmailAttempts mails per hour, so that nobody can flood a
// person's inbox through the form.
const (
	ResetTTL            = 30 * time.Minute
	ResetPath           = "/reset/"
	ResetClientAttempts = 10
	ResetEmailAttempts  = 3
	resetWindow         = time.Hour
)

// RequestReset mails a single-use reset link to the address if it belongs to an active
// account. It answers the same whether or not it does, so the form tells nobody who has an
// account; only a client over its budget hears errs.TooMany.
func (s *Service) RequestReset(ctx context.Context, email string, client Client) error {
	ok, _, err := s.limit.Allow(ctx, "reset.client", client.Key, ResetClientAttempts, resetWindow)
	if err != nil {
		return errs.Internalf("auth: reset limit: %w", err)
	}
	if !ok {
		return errs.TooMany()
	}
	email = NormalizeEmail(email)
	if !validEmail(email) {
		return errs.Invalid("email", "auth.email.invalid")
	}
	// Counted for every address, known or not, so that the limit itself reveals nothing.
	if ok, _, err = s.limit.Allow(ctx, "reset.email", email, ResetEmailAttempts, resetWindow); err != nil {
		return errs.Internalf("auth: reset limit: %w", err)
	}
	if !ok {
		return nil
	}
	var id int64
	var locale string
	err = s.db.QueryRowContext(ctx, "SELECT id, locale FROM accounts WHERE email = ? AND disabled = FALSE", email).Scan(&id, &locale)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return errs.Internalf("auth: read account: %w", err)
	}
	token := randomToken()
	err = s.inTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM password_resets WHERE account_id = ?", id); err != nil {
			return fmt.Errorf("auth: replace reset: %w", err)
		}
		if _, err := tx.Insert(ctx, "INSERT INTO password_resets (account_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
			id, tokenHash(token), tx.Now, tx.Now.Add(ResetTTL)); err != nil {
			return fmt.Errorf("auth: store reset: %w", err)
		}
		m, err := s.resetLetter(locale, s.link(ResetPath+token)).email(email, "auth.reset")
		if err != nil {
			return err
		}
		if _, err := s.mail.Email(ctx, tx, m); err != nil {
			return fmt.Errorf("auth: queue reset mail: %w", err)
		}
		return s.record(ctx, tx, Public(), "auth.reset.request", accountObject(id), "")
	})
	if err != nil {
		return errs.As(err)
	}
	return nil
}

// resetAccount returns the account a live reset link belongs to. An unknown or used link
// is not found with auth.reset.invalid; an expired one, auth.reset.expired.
func (s *Service) resetAccount(ctx context.Context, q db.Queryer, token string, now time.Time) (resetID int64, a Account, err error) {
	if !wellFormed(token) {
		return 0, a, errs.NotFound("auth.reset.invalid")
	}
	var accountID int64
	var expires time.Time
	err = q.QueryRowContext(ctx, "SELECT id, account_id, expires_at FROM password_resets WHERE token_hash = ?", tokenHash(token)).
		Scan(&resetID, &accountID, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, a, errs.NotFound("auth.reset.invalid")
	}
	if err != nil {
		return 0, a, errs.Internalf("auth: read reset: %w", err)
	}
	if !now.Before(expires) {
		return 0, a, errs.NotFound("auth.reset.expired")
	}
	if a, err = s.account(ctx, q, accountID); err != nil {
		return 0, a, err
	}
	if a.Disabled {
		return 0, a, errs.NotFound("auth.reset.invalid")
	}
	return resetID, a, nil
}

// CheckReset reports whether a reset link still works, for showing its form.
func (s *Service) CheckReset(ctx context.Context, token string) error {
	_, _, err := s.resetAccount(ctx, s.db, token, s.db.Now())
	return err
}

// ResetPassword sets a new password through a reset link. The link works once; the
// account's lockout clears and every session ends, so whoever held the old password is out.
// Second factors stay: a reset does not bypass two-factor.
func (s *Service) ResetPassword(ctx context.Context, token, password string) error {
	_, a, err := s.resetAccount(ctx, s.db, token, s.db.Now())
	if err != nil {
		return err
	}
	if err := CheckPassword(password, Personal{Email: a.Email, Name: a.Name}); err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *db.Tx) error {
		resetID, a, err := s.resetAccount(ctx, tx, token, tx.Now)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM password_resets WHERE id = ?", resetID)
		if err := mustAffect(res, err, "auth.reset.invalid"); err != nil {
			return err
		}
		if err := s.setPassword(ctx, tx, a.ID, hash); err != nil {
			return err
		}
		if err := endAccountSessions(ctx, tx, a.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, accountActor(a), "auth.password.reset", accountObject(a.ID), "")
	})
	return coded(err)
}

// ChangePassword lets a signed-in account change its password, given the current one. Its
// other sessions end. A wrong current password is field "current" with
// auth.password.wrong.
func (s *Service) ChangePassword(ctx context.Context, actor Actor, current, password string) error {
	if actor.Kind != KindAccount || actor.ID == 0 {
		return errs.Unauthenticated()
	}
	var email, name, old string
	if err := s.db.QueryRowContext(ctx, "SELECT email, name, password_hash FROM accounts WHERE id = ?", actor.ID).Scan(&email, &name, &old); err != nil {
		return db.Translate(err, "auth.account.not_found", "")
	}
	ok, _, err := s.verifyPassword(ctx, old, current)
	if err != nil {
		return errs.Internalf("auth: verify password of account %d: %w", actor.ID, err)
	}
	if !ok {
		if _, err := s.countFailure(ctx, actor.ID, actor, "auth.password.change_failed", ""); err != nil {
			return errs.Internal(err)
		}
		return errs.Invalid("current", "auth.password.wrong")
	}
	if err := CheckPassword(password, Personal{Email: email, Name: name}); err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *db.Tx) error {
		if err := s.setPassword(ctx, tx, actor.ID, hash); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE account_id = ? AND id <> ?", actor.ID, actor.SessionID); err != nil {
			return fmt.Errorf("auth: end other sessions: %w", err)
		}
		return s.record(ctx, tx, actor, "auth.password.change", accountObject(actor.ID), "")
	})
	return coded(err)
}

// setPassword stores a new hash and clears the lockout.
func (s *Service) setPassword(ctx context.Context, tx *db.Tx, id int64, hash string) error {
	_, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = ?, failed_signins = 0, locked_until = NULL, updated_at = ?
		WHERE id = ?`, hash, tx.Now, id)
	if err != nil {
		return fmt.Errorf("auth: set password: %w", err)
	}
	return nil
}
