package giving

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// ManagePath + token is the donor's page for one recurring gift: change the amount, update
// the card, cancel. No account is needed: the link itself is the key.
const ManagePath = "/give/manage/"

// ManageTTL is how long a manage link works. Every receipt of a recurring gift carries a
// fresh one, so a monthly donor always holds a live link.
const ManageTTL = 366 * 24 * time.Hour

// manageLink returns the absolute address of the donor's manage page for recurring gift
// recurringID, with a new token, inside the caller's transaction. Only the token's SHA-256
// is stored; the token is 256 random bits, so there is nothing to guess.
func (s *Service) manageLink(ctx context.Context, tx *db.Tx, recurringID int64) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("giving: manage token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	if _, err := tx.ExecContext(ctx, `INSERT INTO giving_manage_tokens (token_hash, recurring_id, created_at, expires_at)
		VALUES (?, ?, ?, ?)`, manageHash(token), recurringID, tx.Now, tx.Now.Add(ManageTTL)); err != nil {
		return "", fmt.Errorf("giving: store manage token: %w", err)
	}
	return s.link(ManagePath + token), nil
}

func manageHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// wellFormedToken reports whether s looks like a token manageLink made (43 base64url
// characters), so that junk never reaches the database.
func wellFormedToken(s string) bool {
	return len(s) == 43 && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0
}

// errManageLink is the one answer to an unknown, expired or malformed manage link.
func errManageLink() error { return errs.NotFound("giving.manage.invalid") }

// manageRecurring returns the recurring gift a live manage token opens. The row is found
// by the token's hash (the primary key); the stored hash is then compared in constant time,
// so that the answer's timing says nothing about how close a guess came.
func manageRecurring(ctx context.Context, q db.Queryer, now time.Time, token string) (int64, error) {
	if !wellFormedToken(token) {
		return 0, errManageLink()
	}
	want := manageHash(token)
	var got []byte
	var id int64
	var expires time.Time
	err := q.QueryRowContext(ctx, "SELECT token_hash, recurring_id, expires_at FROM giving_manage_tokens WHERE token_hash = ?", want).
		Scan(&got, &id, &expires)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, errManageLink()
	case err != nil:
		return 0, fmt.Errorf("giving: read manage token: %w", err)
	}
	if subtle.ConstantTimeCompare(got, want) != 1 || !expires.After(now) {
		return 0, errManageLink()
	}
	return id, nil
}
