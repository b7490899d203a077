package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// APIKeyPrefix starts every API key, so that a leaked key is easy to recognize (secret
// scanners look for such prefixes).
const APIKeyPrefix = "sol_"

// apiKeyShown is how many characters of a key (prefix included) stay visible in lists.
const apiKeyShown = len(APIKeyPrefix) + 8

// APIKey describes an API key; the key itself is shown once, at creation, and never kept.
type APIKey struct {
	ID         int64
	Name       string
	Role       Role
	Prefix     string // "sol_AbCdEfGh", to tell keys apart
	CreatedBy  int64  // 0 when made by the system or the account is gone
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Active reports whether the key works at now.
func (k APIKey) Active(now time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || now.Before(*k.ExpiresAt))
}

// NewAPIKey is what creating an API key needs. ExpiresAt nil means it does not expire.
type NewAPIKey struct {
	Name      string
	Role      Role
	ExpiresAt *time.Time
}

// CreateAPIKey makes a key for a program acting with role, and returns the key, to be
// shown once. Needs apikeys.manage. Keys cannot hold a sensitive role (field "role",
// auth.apikey.role_sensitive): a key skips two-factor, so it must not reach sensitive data.
func (s *Service) CreateAPIKey(ctx context.Context, actor Actor, n NewAPIKey) (string, APIKey, error) {
	if err := actor.Require(PermAPIKeysManage); err != nil {
		return "", APIKey{}, err
	}
	var l errs.List
	n.Name = cleanName(n.Name, &l)
	switch {
	case !n.Role.Valid():
		l.Add("role", "auth.role.invalid")
	case n.Role.Sensitive():
		l.Add("role", "auth.apikey.role_sensitive")
	}
	now := s.db.Now()
	if n.ExpiresAt != nil && !n.ExpiresAt.After(now) {
		l.Add("expires", "auth.apikey.expires_past")
	}
	if err := l.Err(); err != nil {
		return "", APIKey{}, err
	}
	key := APIKeyPrefix + randomToken()
	k := APIKey{Name: n.Name, Role: n.Role, Prefix: key[:apiKeyShown], ExpiresAt: n.ExpiresAt}
	var by any
	if actor.Kind == KindAccount {
		by, k.CreatedBy = actor.ID, actor.ID
	}
	err := s.inTx(ctx, func(tx *db.Tx) error {
		k.CreatedAt = tx.Now
		id, err := tx.Insert(ctx, `INSERT INTO api_keys (name, role, prefix, key_hash, created_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, k.Name, string(k.Role), k.Prefix, tokenHash(key), by, tx.Now, n.ExpiresAt)
		if err != nil {
			return fmt.Errorf("auth: store API key: %w", err)
		}
		k.ID = id
		return s.record(ctx, tx, actor, "auth.apikey.create", fmt.Sprintf("apikey:%d", id), "role="+string(k.Role))
	})
	if err != nil {
		return "", APIKey{}, errs.As(err)
	}
	if k.ExpiresAt != nil {
		t := k.ExpiresAt.UTC().Truncate(time.Microsecond)
		k.ExpiresAt = &t
	}
	return key, k, nil
}

// APIKey returns the actor a presented key stands for. An unknown, revoked or expired key
// is unauthenticated. It records the key's last use at most once a minute; attributing
// each call in the audit log is the API layer's job.
func (s *Service) APIKey(ctx context.Context, presented string) (Actor, error) {
	rest, ok := strings.CutPrefix(presented, APIKeyPrefix)
	if !ok || !wellFormed(rest) {
		return Actor{}, errs.Unauthenticated()
	}
	var a Actor
	var expires, revoked, used sql.NullTime
	err := s.db.QueryRowContext(ctx, "SELECT id, name, role, expires_at, revoked_at, last_used_at FROM api_keys WHERE key_hash = ?",
		tokenHash(presented)).Scan(&a.ID, &a.Name, &a.Role, &expires, &revoked, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return Actor{}, errs.Unauthenticated()
	}
	if err != nil {
		return Actor{}, errs.Internalf("auth: look up API key: %w", err)
	}
	now := s.db.Now()
	if revoked.Valid || (expires.Valid && !now.Before(expires.Time)) {
		return Actor{}, errs.Unauthenticated()
	}
	if !used.Valid || now.Sub(used.Time) >= touchEvery {
		if _, err := s.db.ExecContext(ctx, "UPDATE api_keys SET last_used_at = ? WHERE id = ?", now, a.ID); err != nil {
			s.log.Warn("auth: touch API key", "apikey", a.ID, "err", err)
		}
	}
	a.Kind = KindAPIKey
	return a, nil
}

// ListAPIKeys returns every key, newest first, revoked ones included; needs apikeys.manage.
func (s *Service) ListAPIKeys(ctx context.Context, actor Actor) ([]APIKey, error) {
	if err := actor.Require(PermAPIKeysManage); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, role, prefix, created_by, created_at, expires_at, last_used_at, revoked_at
		FROM api_keys ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, errs.Internalf("auth: list API keys: %w", err)
	}
	defer rows.Close()
	var out []APIKey
	for rows.Next() {
		var k APIKey
		var by sql.NullInt64
		var expires, used, revoked sql.NullTime
		if err := rows.Scan(&k.ID, &k.Name, &k.Role, &k.Prefix, &by, &k.CreatedAt, &expires, &used, &revoked); err != nil {
			return nil, errs.Internalf("auth: scan API key: %w", err)
		}
		k.CreatedBy = by.Int64
		k.ExpiresAt, k.LastUsedAt, k.RevokedAt = timePtr(expires), timePtr(used), timePtr(revoked)
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Internalf("auth: list API keys: %w", err)
	}
	return out, nil
}

// RevokeAPIKey stops a key from working at once; needs apikeys.manage.
func (s *Service) RevokeAPIKey(ctx context.Context, actor Actor, id int64) error {
	if err := actor.Require(PermAPIKeysManage); err != nil {
		return err
	}
	err := s.inTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", tx.Now, id)
		if err := mustAffect(res, err, "auth.apikey.not_found"); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "auth.apikey.revoke", fmt.Sprintf("apikey:%d", id), "")
	})
	return coded(err)
}

// coded returns nil for nil, and err as a coded error otherwise.
func coded(err error) error {
	if err == nil {
		return nil
	}
	return errs.As(err)
}
