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

// Session lengths. A session ends after Idle without use or Absolute after it began,
// whichever comes first. Roles that reach sensitive data get short sessions, so that a
// laptop left open or a stolen cookie is worth little; others stay signed in for a month
// on their own phone. A session waiting for the second factor lives only minutes.
const (
	SensitiveIdle     = 30 * time.Minute
	SensitiveAbsolute = 12 * time.Hour
	StandardIdle      = 8 * time.Hour
	StandardAbsolute  = 30 * 24 * time.Hour
	PendingIdle       = 10 * time.Minute
	PendingAbsolute   = 15 * time.Minute

	// touchEvery bounds writes on the hot path: last_seen_at moves at most once a minute,
	// so the idle timeout is precise to a minute.
	touchEvery = time.Minute
)

// Stage is how far a session has come through sign-in.
type Stage string

// The stages of a session.
const (
	StageFull         Stage = "full"          // signed in
	StageSecondFactor Stage = "second_factor" // password given; waiting for a code or passkey
	StageEnrol        Stage = "enrol"         // password given; must enrol a second factor first
)

// Grant is a session just made or moved on. Token goes to the browser once (a cookie) and
// is never stored; ExpiresAt is the absolute end, for the cookie.
type Grant struct {
	Token     string
	Stage     Stage
	AccountID int64
	Name      string
	ExpiresAt time.Time
}

// Keys of the unauthenticated errors Session returns for a session that exists but is not
// signed in yet, so that the web layer can send the person to the right step.
const (
	KeySessionSecondFactor = "auth.session.second_factor"
	KeySessionEnrol        = "auth.session.enrol"
)

// lengths returns the idle and absolute timeouts of a session of stage for role.
func lengths(stage Stage, role Role) (idle, absolute time.Duration) {
	switch {
	case stage != StageFull:
		return PendingIdle, PendingAbsolute
	case role.Sensitive():
		return SensitiveIdle, SensitiveAbsolute
	default:
		return StandardIdle, StandardAbsolute
	}
}

// createSession starts a session and returns its token.
func createSession(ctx context.Context, tx *db.Tx, a Account, stage Stage, agent string) (Grant, error) {
	idle, absolute := lengths(stage, a.Role)
	token := randomToken()
	g := Grant{Token: token, Stage: stage, AccountID: a.ID, Name: a.Name, ExpiresAt: tx.Now.Add(absolute)}
	_, err := tx.Insert(ctx, `INSERT INTO sessions (account_id, token_hash, stage, agent, idle_seconds, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, tokenHash(token), string(stage), agent, int64(idle/time.Second), tx.Now, tx.Now, g.ExpiresAt)
	if err != nil {
		return Grant{}, fmt.Errorf("auth: create session: %w", err)
	}
	return g, nil
}

// upgradeSession signs a pending session in: a fresh token (the old one stops working, so
// a token seen before the second factor is worth nothing), full stage, the role's lengths.
func upgradeSession(ctx context.Context, tx *db.Tx, sessionID int64, a Account) (Grant, error) {
	idle, absolute := lengths(StageFull, a.Role)
	token := randomToken()
	g := Grant{Token: token, Stage: StageFull, AccountID: a.ID, Name: a.Name, ExpiresAt: tx.Now.Add(absolute)}
	res, err := tx.ExecContext(ctx, `UPDATE sessions SET token_hash = ?, stage = ?, idle_seconds = ?, last_seen_at = ?, expires_at = ?
		WHERE id = ?`, tokenHash(token), string(StageFull), int64(idle/time.Second), tx.Now, g.ExpiresAt, sessionID)
	if err := mustAffect(res, err, "auth.session.expired"); err != nil {
		return Grant{}, err
	}
	return g, nil
}

// sessionRow is a session joined with its account, as the lookups read it.
type sessionRow struct {
	ID, AccountID int64
	Stage         Stage
	Idle          time.Duration
	LastSeen      time.Time
	Expires       time.Time
	Name          string
	Role          Role
	Disabled      bool
}

// lookup finds the live session of token. Expired sessions are deleted on sight.
func (s *Service) lookup(ctx context.Context, token string) (sessionRow, error) {
	var r sessionRow
	if !wellFormed(token) {
		return r, errs.Unauthenticated()
	}
	var idle int64
	err := s.db.QueryRowContext(ctx, `SELECT s.id, s.account_id, s.stage, s.idle_seconds, s.last_seen_at, s.expires_at,
		a.name, a.role, a.disabled FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = ?`,
		tokenHash(token)).Scan(&r.ID, &r.AccountID, &r.Stage, &idle, &r.LastSeen, &r.Expires, &r.Name, &r.Role, &r.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.Unauthenticated()
	}
	if err != nil {
		return r, errs.Internalf("auth: look up session: %w", err)
	}
	r.Idle = time.Duration(idle) * time.Second
	now := s.db.Now()
	if r.Disabled || !now.Before(r.Expires) || now.Sub(r.LastSeen) > r.Idle {
		if _, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE id = ?", r.ID); err != nil {
			s.log.Warn("auth: delete expired session", "session", r.ID, "err", err)
		}
		return r, &errs.Error{Code: errs.CodeUnauthenticated, Key: "auth.session.expired"}
	}
	return r, nil
}

// Session returns the actor a session token stands for. This is the hot path of every
// request: one indexed read, and a write at most once a minute. A session still waiting
// for its second factor gives an unauthenticated error with KeySessionSecondFactor or
// KeySessionEnrol; an ended or expired one, auth.session.expired or error.unauthenticated.
func (s *Service) Session(ctx context.Context, token string) (Actor, error) {
	r, err := s.lookup(ctx, token)
	if err != nil {
		return Actor{}, err
	}
	switch r.Stage {
	case StageFull:
	case StageEnrol:
		return Actor{}, &errs.Error{Code: errs.CodeUnauthenticated, Key: KeySessionEnrol}
	default:
		return Actor{}, &errs.Error{Code: errs.CodeUnauthenticated, Key: KeySessionSecondFactor}
	}
	if now := s.db.Now(); now.Sub(r.LastSeen) >= touchEvery {
		if _, err := s.db.ExecContext(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?", now, r.ID, now); err != nil {
			// A missed touch costs at most a minute of idle time; the request goes on.
			s.log.Warn("auth: touch session", "session", r.ID, "err", err)
		}
	}
	return Actor{Kind: KindAccount, ID: r.AccountID, Name: r.Name, Role: r.Role, SessionID: r.ID}, nil
}

// SessionInfo describes a session for the "where you are signed in" page.
type SessionInfo struct {
	ID         int64
	AccountID  int64
	Stage      Stage
	Agent      string // "Firefox · Android"; empty when unknown
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	Current    bool // the session the actor is using
}

// ListSessions returns an account's sessions, newest first: the account itself or
// sessions.manage may see them.
func (s *Service) ListSessions(ctx context.Context, actor Actor, accountID int64) ([]SessionInfo, error) {
	if !actor.IsAccount(accountID) {
		if err := actor.Require(PermSessionsManage); err != nil {
			return nil, err
		}
	}
	now := s.db.Now()
	rows, err := s.db.QueryContext(ctx, `SELECT id, account_id, stage, agent, idle_seconds, created_at, last_seen_at, expires_at
		FROM sessions WHERE account_id = ? AND expires_at > ? ORDER BY last_seen_at DESC, id DESC`, accountID, now)
	if err != nil {
		return nil, errs.Internalf("auth: list sessions: %w", err)
	}
	defer rows.Close()
	var out []SessionInfo
	for rows.Next() {
		var si SessionInfo
		var idle int64
		if err := rows.Scan(&si.ID, &si.AccountID, &si.Stage, &si.Agent, &idle, &si.CreatedAt, &si.LastSeenAt, &si.ExpiresAt); err != nil {
			return nil, errs.Internalf("auth: scan session: %w", err)
		}
		if now.Sub(si.LastSeenAt) > time.Duration(idle)*time.Second {
			continue // idle past its limit: ended, though not yet purged
		}
		si.Current = actor.Kind == KindAccount && si.ID == actor.SessionID
		out = append(out, si)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Internalf("auth: list sessions: %w", err)
	}
	return out, nil
}

// EndSession ends one session: one's own, or anyone's with sessions.manage. A session the
// actor may not see is not found.
func (s *Service) EndSession(ctx context.Context, actor Actor, sessionID int64) error {
	if !actor.Authenticated() {
		return errs.Unauthenticated()
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		var owner int64
		err := tx.QueryRowContext(ctx, "SELECT account_id FROM sessions WHERE id = ?", sessionID).Scan(&owner)
		if err != nil {
			return db.Translate(err, "auth.session.not_found", "")
		}
		if !actor.IsAccount(owner) && !actor.Can(PermSessionsManage) {
			return errs.NotFound("auth.session.not_found")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE id = ?", sessionID); err != nil {
			return fmt.Errorf("auth: end session: %w", err)
		}
		return s.record(ctx, tx, actor, "auth.session.end", accountObject(owner), fmt.Sprintf("session=%d", sessionID))
	})
}

// EndAllSessions signs an account out everywhere: the account itself, or sessions.manage.
func (s *Service) EndAllSessions(ctx context.Context, actor Actor, accountID int64) error {
	if !actor.IsAccount(accountID) {
		if err := actor.Require(PermSessionsManage); err != nil {
			return err
		}
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		if err := endAccountSessions(ctx, tx, accountID); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "auth.session.end_all", accountObject(accountID), "")
	})
}

// SignOut ends the session of token. Signing out twice is not an error.
func (s *Service) SignOut(ctx context.Context, token string) error {
	if !wellFormed(token) {
		return nil
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		var id, account int64
		var name string
		err := tx.QueryRowContext(ctx, `SELECT s.id, s.account_id, a.name FROM sessions s JOIN accounts a ON a.id = s.account_id
			WHERE s.token_hash = ?`, tokenHash(token)).Scan(&id, &account, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("auth: sign out: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE id = ?", id); err != nil {
			return fmt.Errorf("auth: sign out: %w", err)
		}
		who := Actor{Kind: KindAccount, ID: account, Name: name, SessionID: id}
		return s.record(ctx, tx, who, "auth.signout", accountObject(account), "")
	})
}

// endAccountSessions deletes every session of an account.
func endAccountSessions(ctx context.Context, tx *db.Tx, accountID int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE account_id = ?", accountID); err != nil {
		return fmt.Errorf("auth: end sessions: %w", err)
	}
	return nil
}
