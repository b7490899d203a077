package people

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// How long each kind of member token lasts.
const (
	ConfirmTTL = 7 * 24 * time.Hour // the e-mail confirmation link sent by Join
	SignInTTL  = 30 * time.Minute   // a self-service sign-in link
	SessionTTL = 2 * time.Hour      // a self-service session
)

// tokenPurpose is what a member token is good for.
type tokenPurpose string

const (
	purposeConfirm tokenPurpose = "confirm"
	purposeSignIn  tokenPurpose = "signin"
	purposeSession tokenPurpose = "session"
)

// randomToken returns 256 random bits, base64url without padding (43 characters). At that
// size a plain SHA-256 is a safe thing to store: there is nothing to guess.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// wellFormed reports whether s looks like a token randomToken made.
func wellFormed(s string) bool {
	return len(s) == 43 && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0
}

// issueToken stores the hash of a new token for the person and returns the token.
func issueToken(ctx context.Context, tx *db.Tx, personID int64, purpose tokenPurpose, data any, ttl time.Duration) (string, error) {
	raw := []byte("{}")
	if data != nil {
		var err error
		if raw, err = json.Marshal(data); err != nil {
			return "", fmt.Errorf("people: token data: %w", err)
		}
	}
	t := randomToken()
	if _, err := tx.ExecContext(ctx, "INSERT INTO person_tokens (token_hash, person_id, purpose, data, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
		tokenHash(t), personID, purpose, string(raw), tx.Now, tx.Now.Add(ttl)); err != nil {
		return "", fmt.Errorf("people: issue token: %w", err)
	}
	return t, nil
}

// consumeToken uses up a single-use token: it returns the person and the token's data and
// deletes it. An unknown, expired or used token is errs.NotFound, all alike.
func consumeToken(ctx context.Context, tx *db.Tx, token string, purpose tokenPurpose, data any) (int64, error) {
	id, err := lookupToken(ctx, tx, tx.Now, token, purpose, data)
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM person_tokens WHERE token_hash = ?", tokenHash(token)); err != nil {
		return 0, fmt.Errorf("people: use token: %w", err)
	}
	return id, nil
}

// lookupToken returns the person a token live at now belongs to, without using it up.
func lookupToken(ctx context.Context, q db.Queryer, now time.Time, token string, purpose tokenPurpose, data any) (int64, error) {
	invalid := errs.NotFound("people.token.invalid")
	if !wellFormed(token) {
		return 0, invalid
	}
	var id int64
	var raw string
	var expires time.Time
	err := q.QueryRowContext(ctx, "SELECT person_id, data, expires_at FROM person_tokens WHERE token_hash = ? AND purpose = ?",
		tokenHash(token), purpose).Scan(&id, &raw, &expires)
	if err != nil {
		if e := db.Translate(err, "people.token.invalid", ""); errs.CodeOf(e) == errs.CodeNotFound {
			return 0, invalid
		}
		return 0, fmt.Errorf("people: read token: %w", err)
	}
	if !expires.After(now) {
		return 0, invalid
	}
	if data != nil {
		if err := json.Unmarshal([]byte(raw), data); err != nil {
			return 0, fmt.Errorf("people: token data: %w", err)
		}
	}
	return id, nil
}
