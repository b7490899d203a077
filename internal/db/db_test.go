package db_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

func TestRebind(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2"},
		{"SELECT '?' , ? FROM t", "SELECT '?' , $1 FROM t"},
		{`SELECT "a?b", ?`, `SELECT "a?b", $1`},
	}
	for _, c := range cases {
		if got := db.Rebind(c.in); got != c.want {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestStoreBasics(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrated(ctx); err != nil {
			t.Fatalf("Migrated after Migrate: %v", err)
		}
		fixed := time.Date(2026, 11, 29, 10, 30, 0, 123456789, time.FixedZone("x", -5*3600))
		d.Clock = func() time.Time { return fixed }
		var id int64
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if !tx.Now.Equal(fixed.Truncate(time.Microsecond)) || tx.Now.Location() != time.UTC {
				t.Errorf("tx.Now = %v, want %v in UTC", tx.Now, fixed)
			}
			var err error
			id, err = tx.Insert(ctx, "INSERT INTO deliveries (channel, recipient, body_text, purpose, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
				"email", "a@example.org", "hello", "test", "queued", tx.Now, tx.Now)
			return err
		})
		if err != nil || id == 0 {
			t.Fatalf("insert: id %d, %v", id, err)
		}
		var got time.Time
		if err := d.QueryRowContext(ctx, "SELECT created_at FROM deliveries WHERE id = ?", id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if !got.Equal(fixed.Truncate(time.Microsecond)) {
			t.Errorf("created_at read back %v, want %v", got, fixed)
		}
		var n int
		if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM deliveries WHERE created_at < ?", fixed.Add(time.Second)).Scan(&n); err != nil || n != 1 {
			t.Errorf("time comparison: count %d, %v", n, err)
		}

		// A failing function rolls everything back.
		boom := errors.New("boom")
		err = d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, "DELETE FROM deliveries"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx error = %v", err)
		}
		if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM deliveries").Scan(&n); err != nil || n != 1 {
			t.Errorf("after rollback: count %d, %v", n, err)
		}

		// Unique violations translate to conflicts; no rows to not found.
		_, err = d.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", "k", "v", fixed)
		if err != nil {
			t.Fatal(err)
		}
		_, err = d.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", "k", "v", fixed)
		if !db.IsUnique(err) || errs.CodeOf(db.Translate(err, "x", "settings.exists")) != errs.CodeConflict {
			t.Errorf("duplicate key: %v", err)
		}
		err = d.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", "nope").Scan(new(string))
		if !errors.Is(db.Translate(err, "settings.not_found", ""), errs.ErrNotFound) {
			t.Errorf("missing row: %v", err)
		}
	})
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	d := testkit.NewDB(t, db.SQLite)
	if _, err := d.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", "k", "kept", d.Now()); err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/copy.db"
	if err := d.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := d.Backup(ctx, path); err == nil {
		t.Error("backup over an existing file should be refused")
	}
	restored, err := sqlOpen(path)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	var v string
	if err := restored.QueryRow("SELECT value FROM settings WHERE key = 'k'").Scan(&v); err != nil || v != "kept" {
		t.Errorf("restored value %q, %v", v, err)
	}
}

// checkSettings are a write connection's foreign_keys, ignore_check_constraints and
// synchronous settings.
type checkSettings struct{ foreignKeys, ignoreChecks, synchronous int }

// pragmas reads them in tx.
func pragmas(ctx context.Context, t *testing.T, tx *db.Tx) checkSettings {
	t.Helper()
	var got checkSettings
	for _, p := range []struct {
		name string
		dst  *int
	}{{"foreign_keys", &got.foreignKeys}, {"ignore_check_constraints", &got.ignoreChecks}, {"synchronous", &got.synchronous}} {
		if err := tx.QueryRowContext(ctx, "PRAGMA "+p.name).Scan(p.dst); err != nil {
			t.Fatal(err)
		}
	}
	return got
}

func TestInBulkTxSettingsComeBack(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	ctx := context.Background()
	ordinary := func() {
		t.Helper()
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			if got, want := pragmas(ctx, t, tx), (checkSettings{1, 0, 2}); got != want {
				t.Errorf("ordinary transaction: %+v, want %+v (synchronous 2 is FULL)", got, want)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	ordinary()
	var id int64
	err := d.InBulkTx(ctx, func(tx *db.Tx) error {
		if got, want := pragmas(ctx, t, tx), (checkSettings{0, 1, 1}); got != want {
			t.Errorf("bulk transaction: %+v, want %+v (synchronous 1 is NORMAL)", got, want)
		}
		var err error
		id, err = tx.Insert(ctx, "INSERT INTO deliveries (channel, recipient, body_text, purpose, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			"email", "a@example.org", "hello", "test", "queued", tx.Now, tx.Now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ordinary()
	var n int
	if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM deliveries WHERE id = ?", id).Scan(&n); err != nil || n != 1 {
		t.Fatalf("bulk transaction's row: %d, %v", n, err)
	}
	// A failing and a panicking bulk transaction leave nothing and change no setting.
	fail := errors.New("stop")
	if err := d.InBulkTx(ctx, func(tx *db.Tx) error {
		_, _ = tx.ExecContext(ctx, "DELETE FROM deliveries")
		return fail
	}); !errors.Is(err, fail) {
		t.Fatalf("failing bulk transaction: %v", err)
	}
	ordinary()
	func() {
		defer func() { _ = recover() }()
		_ = d.InBulkTx(ctx, func(tx *db.Tx) error {
			_, _ = tx.ExecContext(ctx, "DELETE FROM deliveries")
			panic("boom")
		})
	}()
	ordinary()
	if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM deliveries").Scan(&n); err != nil || n != 1 {
		t.Fatalf("after a failed and a panicking bulk transaction: %d rows, %v", n, err)
	}
}

func TestStampIsStoredAsATime(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		at := time.Date(2026, 11, 29, 10, 30, 0, 123456789, time.FixedZone("x", -5*3600))
		var plain, stamped int64
		err := d.InTx(ctx, func(tx *db.Tx) error {
			q := "INSERT INTO deliveries (channel, recipient, body_text, purpose, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
			var err error
			if plain, err = tx.Insert(ctx, q, "email", "a@example.org", "x", "test", "queued", at, at); err != nil {
				return err
			}
			stamped, err = tx.Insert(ctx, q, "email", "a@example.org", "x", "test", "queued", tx.Stamp(at), tx.Stamp(at))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var a, b time.Time
		var same bool
		if err := d.QueryRowContext(ctx, `SELECT p.created_at, s.created_at, p.created_at = s.created_at FROM deliveries p, deliveries s
			WHERE p.id = ? AND s.id = ?`, plain, stamped).Scan(&a, &b, &same); err != nil {
			t.Fatal(err)
		}
		if !a.Equal(b) || !same || !b.Equal(at.Truncate(time.Microsecond)) {
			t.Errorf("stored %v and %v (equal in SQL: %v), want both %v", a, b, same, at)
		}
	})
}

// walSize is the size of a SQLite database's write-ahead log file (0 when there is none).
func walSize(t *testing.T, d *db.DB) int64 {
	t.Helper()
	fi, err := os.Stat(d.Path() + "-wal")
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// The writer never checkpoints; the checkpointer copies the log beside it, starts it again
// when it passes its limit, and empties it on Close.
func TestCheckpointer(t *testing.T) {
	defer db.SetCheckpoints(20*time.Millisecond, 256<<10, 32<<10)()
	ctx := context.Background()
	dir := t.TempDir()
	d, err := db.Open(ctx, db.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, "CREATE TABLE notes (body TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("x", 3000)
	write := func(rows int) {
		t.Helper()
		err := d.InTx(ctx, func(tx *db.Tx) error {
			for range rows {
				if _, err := tx.ExecContext(ctx, "INSERT INTO notes (body) VALUES (?)", body); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Writing without a pause grows the log past its limit; the checkpointer brings it
	// back under it (the writer's journal_size_limit cuts the file when it starts again).
	for range 40 {
		write(50) // about 150 KB a transaction
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		write(1)
		if walSize(t, d) < 256<<10 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("log still %d bytes", walSize(t, d))
		}
		time.Sleep(30 * time.Millisecond)
	}
	var rows int
	if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM notes").Scan(&rows); err != nil || rows <= 40*50 {
		t.Fatalf("rows: %d, %v", rows, err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if n := walSize(t, d); n != 0 {
		t.Errorf("log after Close: %d bytes, want 0", n)
	}
	// Everything is in the database file itself.
	raw, err := sqlOpen(d.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var busy, log, done int
	if err := raw.QueryRow("PRAGMA wal_checkpoint").Scan(&busy, &log, &done); err == nil && log > 0 {
		t.Errorf("log frames left after Close: %d", log)
	}
}
