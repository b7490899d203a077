package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/i18n"
	"solidarity/internal/notify"
	"solidarity/internal/testkit"
)

// clock is a fake clock the tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// auditLog records the entries of committed transactions only, as the real log would.
type auditLog struct {
	mu      sync.Mutex
	entries []auth.AuditEntry
}

func (l *auditLog) Record(_ context.Context, tx *db.Tx, e auth.AuditEntry) error {
	if e.Action == "" || e.Actor == "" {
		return errors.New("audit entry without action or actor")
	}
	tx.AfterCommit(func() { l.mu.Lock(); l.entries = append(l.entries, e); l.mu.Unlock() })
	return nil
}

func (l *auditLog) find(action string) []auth.AuditEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []auth.AuditEntry
	for _, e := range l.entries {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// outbox captures mail queued by committed transactions.
type outbox struct {
	mu   sync.Mutex
	sent []notify.Email
}

func (o *outbox) Email(_ context.Context, tx *db.Tx, m notify.Email) (int64, error) {
	if m.To == "" || m.Text == "" {
		return 0, errors.New("mail without recipient or text")
	}
	tx.AfterCommit(func() { o.mu.Lock(); o.sent = append(o.sent, m); o.mu.Unlock() })
	return 1, nil
}

func (o *outbox) to(addr string) []notify.Email {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []notify.Email
	for _, m := range o.sent {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

// limiter is a real fixed-window rate limiter in memory, on the fake clock.
type limiter struct {
	mu     sync.Mutex
	now    func() time.Time
	counts map[string]int
}

func (l *limiter) Allow(_ context.Context, bucket, subject string, limit int, window time.Duration) (bool, time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	start := now.Truncate(window)
	key := bucket + "|" + subject + "|" + start.String()
	if l.counts[key] >= limit {
		return false, start.Add(window).Sub(now), nil
	}
	l.counts[key]++
	return true, 0, nil
}

// env is one service on one fresh database, with its fakes.
type env struct {
	svc   *auth.Service
	db    *db.DB
	clock *clock
	audit *auditLog
	mail  *outbox
	ctx   context.Context
}

// cheap argon2id costs keep the tests fast; the format and the default costs have their
// own test.
var cheap = auth.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1}

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	c := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	d.Clock = c.Now
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: d, clock: c, audit: &auditLog{}, mail: &outbox{}, ctx: context.Background()}
	e.svc, err = auth.New(auth.Config{BaseURL: "https://solidarity.test", Password: cheap}, auth.Deps{
		DB: d, Audit: e.audit, Mail: e.mail, Limit: &limiter{now: c.Now, counts: map[string]int{}},
		Catalog: cat, Log: testkit.Logger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// eachEnv runs fn on every database dialect. Every test has its own databases, so the
// tests run in parallel.
func eachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, d *db.DB) { fn(t, newEnv(t, d)) })
}

var system = auth.System("test")

// passwordFor gives each test account its own acceptable passphrase.
func passwordFor(email string) string {
	h := sha256.Sum256([]byte(email))
	return "quiet lanterns over the harbor " + hex.EncodeToString(h[:4])
}

func (e *env) account(t testing.TB, email string, role auth.Role) auth.Account {
	t.Helper()
	a, err := e.svc.CreateAccount(e.ctx, system, auth.NewAccount{
		Email: email, Name: "Test " + strings.Split(email, "@")[0], Role: role, Password: passwordFor(email),
	})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return a
}

// client is a browser with its own rate-limit key.
func client(key string) auth.Client {
	return auth.Client{Key: key, Agent: "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"}
}

func (e *env) signIn(t testing.TB, email string) auth.Grant {
	t.Helper()
	g, err := e.svc.SignIn(e.ctx, email, passwordFor(email), client("c-"+email))
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	return g
}

// actorOf returns the actor of a full session.
func (e *env) actorOf(t testing.TB, g auth.Grant) auth.Actor {
	t.Helper()
	a, err := e.svc.Session(e.ctx, g.Token)
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	return a
}

// wantKey fails unless err is a coded error with code and key.
func wantKey(t testing.TB, err error, code errs.Code, key string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s %s", code, key)
	}
	got := errs.As(err)
	if got.Code != code || got.Key != key {
		t.Fatalf("got %s %q (%v), want %s %q", got.Code, got.Key, err, code, key)
	}
}

// wantField fails unless err holds a field error with key.
func wantField(t testing.TB, err error, field, key string) {
	t.Helper()
	for _, f := range errs.Fields(err) {
		if f.Field == field && f.Key == key {
			return
		}
	}
	t.Fatalf("got %v, want field %s with %s", err, field, key)
}
