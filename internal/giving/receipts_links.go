package giving

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// The public addresses of the PDFs mailed to donors: prefix + token + ".pdf".
const (
	ReceiptPath   = "/receipts/"
	StatementPath = "/statements/"
	pdfSuffix     = ".pdf"
)

// StatementFormPath is the public form where a donor asks for an annual statement; every
// receipt points to it.
const StatementFormPath = "/giving/statement"

// How long a mailed PDF link works. Receipts are kept for tax returns, which are filed
// months after the gift, so their links last long; staff can always send a new one.
const (
	ReceiptLinkTTL   = 2 * 365 * 24 * time.Hour
	StatementLinkTTL = 30 * 24 * time.Hour
)

// linkKind is what a PDF link opens.
type linkKind string

const (
	linkReceipt   linkKind = "receipt"
	linkStatement linkKind = "statement"
)

// pdfLink is a live link, as looked up by its token.
type pdfLink struct {
	GiftID   int64 // receipts
	PersonID int64 // statements
	Year     int   // statements
	Language string
}

// newToken returns 256 random bits, base64url without padding (43 characters); at that
// size a plain SHA-256 is a safe thing to store, since there is nothing to guess.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// tokenShaped reports whether s looks like a token newToken made, so that anything else
// is refused before it reaches the database.
func tokenShaped(s string) bool {
	return len(s) == 43 && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0
}

// issueLink stores the hash of a new link token in the caller's transaction and returns
// the absolute address to mail. Expired links are swept on the way (an index range), so
// that they never pile up.
func (s *Service) issueLink(ctx context.Context, tx *db.Tx, kind linkKind, l pdfLink, ttl time.Duration) (string, error) {
	if err := purgeLinks(ctx, tx, tx.Now); err != nil {
		return "", err
	}
	token := newToken()
	var gift, person, year any
	path := ReceiptPath
	if kind == linkReceipt {
		gift = l.GiftID
	} else {
		person, year, path = l.PersonID, l.Year, StatementPath
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO giving_links (token_hash, kind, gift_id, person_id, year, language, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, hashToken(token), string(kind), gift, person, year, l.Language, tx.Now, tx.Now.Add(ttl)); err != nil {
		return "", fmt.Errorf("giving: issue %s link: %w", kind, err)
	}
	return s.link(path + token + pdfSuffix), nil
}

// lookupLink returns the live link of kind that file ("<token>.pdf") names. An unknown,
// malformed or expired link is errs.NotFound, all alike.
func (s *Service) lookupLink(ctx context.Context, kind linkKind, file string) (pdfLink, error) {
	gone := errs.NotFound("giving.link.invalid")
	token, ok := strings.CutSuffix(file, pdfSuffix)
	if !ok || !tokenShaped(token) {
		return pdfLink{}, gone
	}
	want := hashToken(token)
	var l pdfLink
	var stored []byte
	var gift, person, year *int64
	var expires time.Time
	err := s.db.QueryRowContext(ctx, `SELECT token_hash, gift_id, person_id, year, language, expires_at FROM giving_links
		WHERE token_hash = ? AND kind = ?`, want, string(kind)).Scan(&stored, &gift, &person, &year, &l.Language, &expires)
	if err != nil {
		if errs.CodeOf(db.Translate(err, "giving.link.invalid", "")) == errs.CodeNotFound {
			return pdfLink{}, gone
		}
		return pdfLink{}, errs.Internal(fmt.Errorf("giving: read link: %w", err))
	}
	// The index found the row by hash; the constant-time comparison keeps the check itself
	// from leaking anything through timing.
	if subtle.ConstantTimeCompare(stored, want) != 1 || !expires.After(s.db.Now()) {
		return pdfLink{}, gone
	}
	if gift != nil {
		l.GiftID = *gift
	}
	if person != nil {
		l.PersonID = *person
	}
	if year != nil {
		l.Year = int(*year)
	}
	return l, nil
}

// purgeLinks deletes the links that expired before now.
func purgeLinks(ctx context.Context, tx *db.Tx, now time.Time) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM giving_links WHERE expires_at < ?", now); err != nil {
		return fmt.Errorf("giving: purge links: %w", err)
	}
	return nil
}
