// Package testkit holds what tests across Solidarity share: fresh databases of each
// dialect, a fake clock, fake SMS and e-mail peers, the browser helper, and the switch that
// turns a missing test service into a failure (SOLIDARITY_TEST_REQUIRE).
package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/jobs"
)

// PostgresURL is the server the PostgreSQL runs use, from SOLIDARITY_TEST_POSTGRES.
func PostgresURL() string { return os.Getenv("SOLIDARITY_TEST_POSTGRES") }

// Required reports whether service (postgres, browser, stripe…) is listed in
// SOLIDARITY_TEST_REQUIRE, so that its absence must fail rather than skip.
func Required(service string) bool {
	for _, s := range strings.Split(os.Getenv("SOLIDARITY_TEST_REQUIRE"), ",") {
		if strings.TrimSpace(s) == service {
			return true
		}
	}
	return false
}

// SkipOrFail skips the test because service is missing, or fails it when the service is
// required.
func SkipOrFail(t testing.TB, service, why string) {
	t.Helper()
	if Required(service) {
		t.Fatalf("%s is required (SOLIDARITY_TEST_REQUIRE) but unavailable: %s", service, why)
	}
	t.Skipf("%s unavailable: %s", service, why)
}

// Dialects lists the databases a store test runs on: SQLite always, PostgreSQL when
// SOLIDARITY_TEST_POSTGRES is set (and a failure when it is required but unset).
func Dialects(t testing.TB) []db.Dialect {
	t.Helper()
	out := []db.Dialect{db.SQLite}
	if PostgresURL() != "" {
		out = append(out, db.Postgres)
	} else if Required("postgres") {
		t.Fatal("postgres is required (SOLIDARITY_TEST_REQUIRE) but SOLIDARITY_TEST_POSTGRES is not set")
	}
	return out
}

// EachDB runs fn as a subtest on a fresh, migrated database of every dialect.
func EachDB(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	for _, dialect := range Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			fn(t, NewDB(t, dialect))
		})
	}
}

// Logger returns a logger that writes nowhere unless SOLIDARITY_TEST_LOG is set.
func Logger() *slog.Logger {
	if os.Getenv("SOLIDARITY_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// NewDB opens a fresh, migrated database of the dialect (with the job queue's tables),
// closed and removed when the test ends.
func NewDB(t testing.TB, dialect db.Dialect) *db.DB {
	t.Helper()
	ctx := context.Background()
	opts := db.Options{Dir: t.TempDir()}
	if dialect == db.Postgres {
		opts.URL = FreshSchema(t)
	}
	d, err := db.Open(ctx, opts)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { d.Close() })
	q := jobs.New(d, Logger())
	if err := d.Migrate(ctx, Logger(), q.Migrate); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return d
}

// FreshSchema creates an empty PostgreSQL schema for one test and returns a URL whose
// search_path points at it; the schema is dropped when the test ends.
func FreshSchema(t testing.TB) string {
	t.Helper()
	base := PostgresURL()
	if base == "" {
		SkipOrFail(t, "postgres", "SOLIDARITY_TEST_POSTGRES is not set")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		SkipOrFail(t, "postgres", err.Error())
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("SOLIDARITY_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
