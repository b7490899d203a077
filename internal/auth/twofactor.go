package auth

import (
	"context"
	"fmt"
	"strings"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Pending describes a session waiting for its second factor, for the page that asks for it.
type Pending struct {
	SessionID int64
	AccountID int64
	Name      string
	Stage     Stage // StageSecondFactor or StageEnrol
	TOTP      bool  // an authenticator app is enrolled
	Passkeys  int   // passkeys registered
}

// PendingSession returns the pending session of token. A signed-in or unknown session is
// unauthenticated here: this step is only for sessions on their way in.
func (s *Service) PendingSession(ctx context.Context, token string) (Pending, error) {
	r, err := s.lookup(ctx, token)
	if err != nil {
		return Pending{}, err
	}
	if r.Stage == StageFull {
		return Pending{}, errs.Unauthenticated()
	}
	a, err := s.account(ctx, s.db, r.AccountID)
	if err != nil {
		return Pending{}, err
	}
	return Pending{SessionID: r.ID, AccountID: a.ID, Name: a.Name, Stage: r.Stage, TOTP: a.TOTP, Passkeys: a.Passkeys}, nil
}

// enrolling returns the session of token if it may enrol a second factor: a signed-in
// session, or one that must enrol before it is signed in. A session waiting for its
// second factor may not: a password alone must never be enough to add a factor.
func (s *Service) enrolling(ctx context.Context, token string) (sessionRow, error) {
	r, err := s.lookup(ctx, token)
	if err != nil {
		return r, err
	}
	if r.Stage == StageSecondFactor {
		return r, &errs.Error{Code: errs.CodeUnauthenticated, Key: KeySessionSecondFactor}
	}
	return r, nil
}

// Enrolment is the outcome of adding a second factor. RecoveryCodes are shown once, when
// the account gets its first factor. SignedIn is set when the enrolment also completed
// sign-in (a session that had to enrol first): the old token no longer works.
type Enrolment struct {
	RecoveryCodes []string
	SignedIn      *Grant
}

// finishEnrolment does what follows any new factor: recovery codes for a first factor,
// the sign-in of an enrolling session, and the audit records.
func (s *Service) finishEnrolment(ctx context.Context, tx *db.Tx, r sessionRow, a Account, hadFactor bool, action, detail string) (Enrolment, error) {
	var e Enrolment
	var err error
	actor := accountActor(a)
	actor.SessionID = r.ID
	if !hadFactor {
		if e.RecoveryCodes, err = replaceRecoveryCodes(ctx, tx, a.ID); err != nil {
			return e, err
		}
	}
	if err := s.record(ctx, tx, actor, action, accountObject(a.ID), detail); err != nil {
		return e, err
	}
	if r.Stage == StageEnrol {
		g, err := upgradeSession(ctx, tx, r.ID, a)
		if err != nil {
			return e, err
		}
		if err := markSignedIn(ctx, tx, a.ID); err != nil {
			return e, err
		}
		e.SignedIn = &g
		if err := s.record(ctx, tx, actor, "auth.signin", accountObject(a.ID), "stage=full factor=enrolled"); err != nil {
			return e, err
		}
	}
	return e, nil
}

// VerifySecondFactor completes sign-in of a session waiting for its second factor, with a
// code from the authenticator app or a recovery code. It returns a fresh token; the one
// used so far stops working. A wrong code is an invalid-input error for field "code" with
// auth.second_factor.invalid; wrong codes count toward the account's lockout, and when it
// locks the pending session ends.
func (s *Service) VerifySecondFactor(ctx context.Context, token, code string) (Grant, error) {
	r, err := s.lookup(ctx, token)
	if err != nil {
		return Grant{}, err
	}
	if r.Stage != StageSecondFactor {
		return Grant{}, errs.Unauthenticated()
	}
	var secret string
	var lastStep int64
	a, err := s.account(ctx, s.db, r.AccountID)
	if err != nil {
		return Grant{}, err
	}
	if err := s.db.QueryRowContext(ctx, "SELECT totp_secret, totp_last_step FROM accounts WHERE id = ?", a.ID).Scan(&secret, &lastStep); err != nil {
		return Grant{}, errs.Internalf("auth: read second factor: %w", err)
	}
	wrong := errs.Invalid("code", "auth.second_factor.invalid")
	if a.LockedUntil != nil && s.db.Now().Before(*a.LockedUntil) {
		return Grant{}, wrong
	}
	var g Grant
	accepted := false
	err = s.inTx(ctx, func(tx *db.Tx) error {
		factor := ""
		if step, ok := checkTOTP(secret, lastStep, code, tx.Now); ok {
			// The WHERE clause refuses a code replayed concurrently on another node.
			res, err := tx.ExecContext(ctx, "UPDATE accounts SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", step, a.ID, step)
			if err != nil {
				return fmt.Errorf("auth: use code: %w", err)
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err
			}
			factor = "totp"
		} else if left, ok, err := useRecoveryCode(ctx, tx, a.ID, code); err != nil {
			return err
		} else if ok {
			factor = fmt.Sprintf("recovery left=%d", left)
		}
		if factor == "" {
			return nil
		}
		accepted = true
		return s.completeSignIn(ctx, tx, r, a, "factor="+factor, &g)
	})
	if err != nil {
		return Grant{}, errs.As(err)
	}
	if !accepted {
		return Grant{}, s.secondFactorFailed(ctx, r, a)
	}
	return g, nil
}

// completeSignIn moves a session waiting for its second factor to signed in.
func (s *Service) completeSignIn(ctx context.Context, tx *db.Tx, r sessionRow, a Account, detail string, g *Grant) error {
	var err error
	if *g, err = upgradeSession(ctx, tx, r.ID, a); err != nil {
		return err
	}
	if err := markSignedIn(ctx, tx, a.ID); err != nil {
		return err
	}
	actor := accountActor(a)
	actor.SessionID = r.ID
	return s.record(ctx, tx, actor, "auth.signin", accountObject(a.ID), "stage=full "+detail)
}

// secondFactorFailed counts a wrong second factor and ends the pending session once the
// account locks.
func (s *Service) secondFactorFailed(ctx context.Context, r sessionRow, a Account) error {
	actor := accountActor(a)
	actor.SessionID = r.ID
	locked, err := s.countFailure(ctx, a.ID, actor, "auth.second_factor.failed", "")
	if err != nil {
		return errs.Internal(err)
	}
	if locked {
		if _, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE id = ?", r.ID); err != nil {
			return errs.Internalf("auth: end locked session: %w", err)
		}
	}
	return errs.Invalid("code", "auth.second_factor.invalid")
}

// ResetTwoFactor removes every second factor of an account (authenticator app, passkeys,
// recovery codes) and ends its sessions, for someone who lost their phone. A role that
// needs two-factor must enrol again at its next sign-in. Needs accounts.manage.
func (s *Service) ResetTwoFactor(ctx context.Context, actor Actor, accountID int64) error {
	if err := actor.Require(PermAccountsManage); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET totp_secret = '', totp_pending = '', totp_pending_at = NULL,
			totp_last_step = 0, updated_at = ? WHERE id = ?`, tx.Now, accountID)
		if err := mustAffect(res, err, "auth.account.not_found"); err != nil {
			return err
		}
		for _, q := range []string{
			"DELETE FROM passkeys WHERE account_id = ?",
			"DELETE FROM recovery_codes WHERE account_id = ?",
			"DELETE FROM sessions WHERE account_id = ?",
		} {
			if _, err := tx.ExecContext(ctx, q, accountID); err != nil {
				return fmt.Errorf("auth: reset two-factor: %w", err)
			}
		}
		return s.record(ctx, tx, actor, "auth.2fa.reset", accountObject(accountID), "")
	})
}

// removeFactorAllowed refuses to take away the last factor of a role that needs one.
func removeFactorAllowed(a Account, remaining bool) error {
	if !remaining && a.Role.Sensitive() {
		return errs.Conflict("auth.second_factor.required")
	}
	return nil
}

// normalizeCode drops spaces and dashes people type into codes.
func normalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, strings.TrimSpace(code))
}
