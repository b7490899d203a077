// Package ratelimit counts attempts per client in fixed time windows, in the database's
// rate_counts table, so that a limit holds across every app node. It touches only that
// table and, for its shared secret, the settings table.
//
// Privacy: a row's key is an HMAC of the bucket, the window length and the subject (an
// address, an e-mail), never the subject itself, and a row is deleted by Purge once its
// window is over. The secret lives in the same database, so someone who seizes it can still
// test guesses against the keys of windows not yet purged; keeping windows short and
// running Purge often is what limits that exposure. An operator may instead pass New a
// secret from the configuration, which the database never holds.
package ratelimit

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"time"

	"solidarity/internal/db"
)

// MaxWindow is the longest window Allow accepts; Purge removes any row older than this,
// whatever its key says.
const MaxWindow = 24 * time.Hour

// Limiter checks rate limits against the shared database.
type Limiter struct {
	db     *db.DB
	secret []byte
}

// New returns a limiter keyed with secret (at least 16 bytes; see Secret). Every node must
// use the same secret, or each counts on its own.
func New(d *db.DB, secret []byte) *Limiter {
	if len(secret) < 16 {
		panic("ratelimit: the secret must be at least 16 bytes")
	}
	return &Limiter{db: d, secret: append([]byte(nil), secret...)}
}

// Allow counts one attempt by subject in bucket and reports whether it is within limit
// attempts per window. When it is not, retryAfter says how long until the window ends.
// bucket names the thing limited ("auth.signin", "report.submit"); subject is who is
// limited (a client address, a normalized e-mail) and is only ever stored as a keyed hash.
// The window must be whole seconds, from one second to MaxWindow. Refused attempts count
// too, so hammering does not open the door sooner. On error the caller decides whether to
// fail open or closed.
func (l *Limiter) Allow(ctx context.Context, bucket, subject string, limit int, window time.Duration) (ok bool, retryAfter time.Duration, err error) {
	return l.AllowAll(ctx, Check{Bucket: bucket, Subject: subject, Limit: limit, Window: window})
}

// Check is one limit of an AllowAll.
type Check struct {
	Bucket  string
	Subject string
	Limit   int
	Window  time.Duration
}

// AllowAll counts one attempt against every check in one transaction (one commit, however
// many limits a form has: per client and for everyone) and reports whether all of them
// allow it; when one does not, retryAfter is the longest wait among those spent.
func (l *Limiter) AllowAll(ctx context.Context, checks ...Check) (ok bool, retryAfter time.Duration, err error) {
	keys := make([]string, len(checks))
	for i, c := range checks {
		switch {
		case c.Bucket == "":
			return false, 0, errors.New("ratelimit: no bucket")
		case c.Limit < 1:
			return false, 0, fmt.Errorf("ratelimit: %s: limit %d is below 1", c.Bucket, c.Limit)
		case c.Window < time.Second || c.Window > MaxWindow || c.Window%time.Second != 0:
			return false, 0, fmt.Errorf("ratelimit: %s: window %v is not whole seconds between 1s and %v", c.Bucket, c.Window, MaxWindow)
		}
		keys[i] = l.key(c.Bucket, c.Subject, c.Window)
	}
	counts := make([]int64, len(checks))
	var now time.Time
	err = l.db.InTx(ctx, func(tx *db.Tx) error {
		now = tx.Now
		for i, c := range checks {
			if err := tx.QueryRowContext(ctx,
				"INSERT INTO rate_counts (key, window_start, count) VALUES (?, ?, 1) ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counts.count + 1 RETURNING count",
				keys[i], windowStart(now, c.Window)).Scan(&counts[i]); err != nil {
				return fmt.Errorf("%s: %w", c.Bucket, err)
			}
		}
		return nil
	})
	if err != nil {
		return false, 0, fmt.Errorf("ratelimit: count %w", err)
	}
	ok = true
	for i, c := range checks {
		if counts[i] <= int64(c.Limit) {
			continue
		}
		ok = false
		// Rounded up to whole seconds, as a Retry-After header wants.
		wait := windowStart(now, c.Window).Add(c.Window).Sub(now)
		if rest := wait % time.Second; rest != 0 {
			wait += time.Second - rest
		}
		retryAfter = max(retryAfter, wait)
	}
	return ok, retryAfter, nil
}

// windowStart aligns windows to the Unix epoch, so that every node cuts them alike.
func windowStart(now time.Time, window time.Duration) time.Time {
	w := int64(window / time.Second)
	s := now.Unix()
	return time.Unix(s-s%w, 0).UTC()
}

// key is "<window seconds>:<base64 HMAC-SHA256(secret, bucket, window, subject)>". The
// window length in the clear lets Purge find when each row expires.
func (l *Limiter) key(bucket, subject string, window time.Duration) string {
	secs := int64(window / time.Second)
	m := hmac.New(sha256.New, l.secret)
	for _, part := range []string{bucket, strconv.FormatInt(secs, 10), subject} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(part)))
		m.Write(n[:])
		m.Write([]byte(part))
	}
	return strconv.FormatInt(secs, 10) + ":" + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// secretKey is the settings row holding the shared secret.
const secretKey = "ratelimit.secret"

// Secret returns the install's rate-limit secret, creating a random one on first use; when
// two nodes race, both end up with the one that was stored first.
func Secret(ctx context.Context, d *db.DB) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("ratelimit: generate secret: %w", err)
	}
	var stored string
	err := d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
			secretKey, base64.StdEncoding.EncodeToString(fresh), tx.Now); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", secretKey).Scan(&stored)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errors.New("ratelimit: the secret vanished while it was being created")
	}
	if err != nil {
		return nil, fmt.Errorf("ratelimit: secret: %w", err)
	}
	secret, err := base64.StdEncoding.DecodeString(stored)
	if err != nil || len(secret) < 16 {
		return nil, errors.New("ratelimit: the stored secret is malformed")
	}
	return secret, nil
}

// WaitMessage returns the i18n key and count (for a plural translation) that tell a
// refused visitor how long to wait: seconds below two minutes, minutes below two hours,
// hours beyond, always rounded up.
func WaitMessage(retryAfter time.Duration) (key string, count int) {
	ceil := func(unit time.Duration) int { return int((retryAfter + unit - 1) / unit) }
	switch {
	case retryAfter < 2*time.Minute:
		return "ratelimit.wait_seconds", max(1, ceil(time.Second))
	case retryAfter < 2*time.Hour:
		return "ratelimit.wait_minutes", ceil(time.Minute)
	default:
		return "ratelimit.wait_hours", ceil(time.Hour)
	}
}
