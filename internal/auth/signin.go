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

// Lockout and rate limits. After LockAfter failures in a row an account is locked for
// LockFirst, doubling with each further failure up to LockMax; the lock lives in the
// accounts row, so it holds across app nodes. Separately, one client (the web layer's
// keyed hash of an address, never the address) gets ClientAttempts sign-in attempts per
// ClientWindow, whatever accounts it tries.
const (
	LockAfter      = 5
	LockFirst      = time.Minute
	LockMax        = time.Hour
	ClientAttempts = 30
	ClientWindow   = 15 * time.Minute
)

// KeySignInFailed is the one error every failed sign-in gets, whether the e-mail is
// unknown, the password wrong, or the account locked or disabled: a sign-in form must not
// tell an attacker which addresses have accounts.
const KeySignInFailed = "auth.signin.failed"

// Client is who is knocking, as far as auth needs to know: Key is an opaque rate-limit key
// the caller derives (a keyed hash of the address, for instance; auth never stores it),
// and Agent the User-Agent header, kept only as a coarse label such as "Firefox · Android".
type Client struct {
	Key   string
	Agent string
}

func signInFailed() error { return errs.Invalid("", KeySignInFailed) }

// lockFor returns how long an account is locked after its nth failure in a row.
func lockFor(failures int) time.Duration {
	if failures < LockAfter {
		return 0
	}
	d := LockFirst
	for i := LockAfter; i < failures && d < LockMax; i++ {
		d *= 2
	}
	return min(d, LockMax)
}

// credentials is what sign-in reads about an account.
type credentials struct {
	Account
	hash string
}

func (s *Service) credentials(ctx context.Context, q db.Queryer, email string) (credentials, error) {
	var c credentials
	var locked, signed sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT id, email, name, role, locale, disabled, failed_signins, locked_until,
		totp_secret <> '', (SELECT COUNT(*) FROM passkeys p WHERE p.account_id = accounts.id),
		signed_in_at, created_at, updated_at, password_hash FROM accounts WHERE email = ?`, email).Scan(
		&c.ID, &c.Email, &c.Name, &c.Role, &c.Locale, &c.Disabled, &c.FailedSignIns, &locked,
		&c.TOTP, &c.Passkeys, &signed, &c.CreatedAt, &c.UpdatedAt, &c.hash)
	c.LockedUntil, c.SignedInAt = timePtr(locked), timePtr(signed)
	return c, err
}

// SignIn checks an e-mail and password. On success it starts a session: signed in
// (StageFull), waiting for the second factor (StageSecondFactor), or, for a role that must
// use two-factor but has none yet, good only for enrolling one (StageEnrol). Every failure
// is the same invalid-input error with KeySignInFailed and costs about the same time; a
// client over its attempt budget gets errs.TooMany.
func (s *Service) SignIn(ctx context.Context, email, password string, client Client) (Grant, error) {
	ok, _, err := s.limit.Allow(ctx, "signin.client", client.Key, ClientAttempts, ClientWindow)
	if err != nil {
		return Grant{}, errs.Internalf("auth: sign-in limit: %w", err)
	}
	if !ok {
		return Grant{}, errs.TooMany()
	}
	email = NormalizeEmail(email)
	c, err := s.credentials(ctx, s.db, email)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// Hash anyway, so that an unknown address takes as long as a known one.
		_, _, _ = s.verifyPassword(ctx, s.dummy, password)
		return Grant{}, s.failUnknown(ctx)
	case err != nil:
		return Grant{}, errs.Internalf("auth: read account: %w", err)
	}
	now := s.db.Now()
	if c.LockedUntil != nil && now.Before(*c.LockedUntil) {
		_, _, _ = s.verifyPassword(ctx, s.dummy, password)
		return Grant{}, s.failLocked(ctx, c.Account)
	}
	match, rehash, err := s.verifyPassword(ctx, c.hash, password)
	if err != nil {
		return Grant{}, errs.Internalf("auth: verify password of account %d: %w", c.ID, err)
	}
	if !match || c.Disabled {
		return Grant{}, s.failPassword(ctx, c.Account, match)
	}
	var newHash string
	if rehash {
		if newHash, err = s.hashPassword(ctx, password); err != nil {
			return Grant{}, err
		}
	}
	stage := StageFull
	switch {
	case c.TwoFactor():
		stage = StageSecondFactor
	case c.Role.Sensitive():
		stage = StageEnrol
	}
	var g Grant
	err = s.inTx(ctx, func(tx *db.Tx) error {
		if newHash != "" {
			if _, err := tx.ExecContext(ctx, "UPDATE accounts SET password_hash = ? WHERE id = ?", newHash, c.ID); err != nil {
				return fmt.Errorf("auth: rehash password: %w", err)
			}
		}
		// Failures clear only once sign-in is complete: otherwise someone holding the
		// password could reset the count between guesses at the second factor.
		if stage == StageFull {
			if err := markSignedIn(ctx, tx, c.ID); err != nil {
				return err
			}
		}
		if g, err = createSession(ctx, tx, c.Account, stage, agentLabel(client.Agent)); err != nil {
			return err
		}
		action := "auth.signin"
		if stage != StageFull {
			action = "auth.signin.password" // the second step records auth.signin
		}
		return s.record(ctx, tx, accountActor(c.Account), action, accountObject(c.ID), "stage="+string(stage))
	})
	if err != nil {
		return Grant{}, errs.As(err)
	}
	return g, nil
}

// accountActor is the actor an account acts as before it has a full session.
func accountActor(a Account) Actor {
	return Actor{Kind: KindAccount, ID: a.ID, Name: a.Name, Role: a.Role}
}

// markSignedIn records a completed sign-in and clears the failure count.
func markSignedIn(ctx context.Context, tx *db.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, "UPDATE accounts SET failed_signins = 0, locked_until = NULL, signed_in_at = ? WHERE id = ?", tx.Now, id); err != nil {
		return fmt.Errorf("auth: mark signed in: %w", err)
	}
	return nil
}

// failUnknown audits a failed sign-in for an address with no account. The address itself
// is not written: it may be a person's, and the log outlives the attempt.
func (s *Service) failUnknown(ctx context.Context) error {
	err := s.inTx(ctx, func(tx *db.Tx) error {
		return s.record(ctx, tx, Public(), "auth.signin.failed", "account:unknown", "")
	})
	if err != nil {
		return errs.Internal(err)
	}
	return signInFailed()
}

// failLocked audits an attempt on a locked account without counting it, so that an
// attacker cannot stretch the lock beyond LockMax.
func (s *Service) failLocked(ctx context.Context, a Account) error {
	err := s.inTx(ctx, func(tx *db.Tx) error {
		return s.record(ctx, tx, Public(), "auth.signin.failed", accountObject(a.ID), "reason=locked")
	})
	if err != nil {
		return errs.Internal(err)
	}
	return signInFailed()
}

// failPassword counts a wrong password (or any attempt on a disabled account) and locks
// the account once the count reaches LockAfter.
func (s *Service) failPassword(ctx context.Context, a Account, match bool) error {
	reason := "reason=password"
	if match {
		reason = "reason=disabled"
	}
	if _, err := s.countFailure(ctx, a.ID, Public(), "auth.signin.failed", reason); err != nil {
		return errs.Internal(err)
	}
	return signInFailed()
}

// countFailure adds one failure to the account, locks it when due, and audits the attempt.
// It reports whether the account is now locked.
func (s *Service) countFailure(ctx context.Context, id int64, actor Actor, action, detail string) (locked bool, err error) {
	err = s.inTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "UPDATE accounts SET failed_signins = failed_signins + 1 WHERE id = ? RETURNING failed_signins",
			id).Scan(&n); err != nil {
			return fmt.Errorf("auth: count failure: %w", err)
		}
		if d := lockFor(n); d > 0 {
			if _, err := tx.ExecContext(ctx, "UPDATE accounts SET locked_until = ? WHERE id = ?", tx.Now.Add(d), id); err != nil {
				return fmt.Errorf("auth: lock account: %w", err)
			}
			detail += fmt.Sprintf(" locked=%s", d)
			locked = true
		}
		return s.record(ctx, tx, actor, action, accountObject(id), detail)
	})
	return locked, err
}
