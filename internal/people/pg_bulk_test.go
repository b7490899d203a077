package people

import (
	"context"
	"slices"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/testkit"
)

// On PostgreSQL, insert binds one array a column (unnest): every Go type the import binds
// arrives as it was, ON CONFLICT suffixes still apply, and a column it has no array type
// for (a nil here) takes the multi-row VALUES statement instead, with the same result.
func TestPostgresInsertArrays(t *testing.T) {
	d := testkit.NewDB(t, db.Postgres)
	ctx := context.Background()
	at := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	type row struct {
		id   int64
		n    int
		s    string
		b    bool
		at   time.Time
		note *string
	}
	var got []row
	err := d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "CREATE TEMP TABLE arr (id BIGINT PRIMARY KEY, n INTEGER NOT NULL, s TEXT NOT NULL, b BOOLEAN NOT NULL, at TIMESTAMPTZ NOT NULL, note TEXT)"); err != nil {
			return err
		}
		w := newBulkSQL(tx)
		defer w.close()
		vals := []any{
			int64(1), 10, "ana", true, tx.Stamp(at),
			int64(2), 20, `josé "quoted" \ {braces}, commas`, false, tx.Stamp(at.Add(time.Second)),
			int64(3), 30, "", true, tx.Stamp(at),
		}
		if err := w.insert(ctx, "INSERT INTO arr (id, n, s, b, at) VALUES ", 5, vals, ""); err != nil {
			return err
		}
		if err := w.insert(ctx, "INSERT INTO arr (id, n, s, b, at) VALUES ", 5, []any{int64(3), 31, "again", false, tx.Stamp(at)},
			" ON CONFLICT (id) DO UPDATE SET n = excluded.n, s = excluded.s"); err != nil {
			return err
		}
		if err := w.insert(ctx, "INSERT INTO arr (id, n, s, b, at, note) VALUES ", 6, []any{int64(4), 40, "x", true, tx.Stamp(at), nil, int64(5), 50, "y", false, tx.Stamp(at), "kept"}, ""); err != nil {
			return err
		}
		return eachRow(ctx, tx, "SELECT id, n, s, b, at, note FROM arr ORDER BY id", nil, func(scan func(...any) error) error {
			var r row
			err := scan(&r.id, &r.n, &r.s, &r.b, &r.at, &r.note)
			r.at = r.at.UTC()
			got = append(got, r)
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	kept := "kept"
	want := []row{
		{1, 10, "ana", true, at, nil},
		{2, 20, `josé "quoted" \ {braces}, commas`, false, at.Add(time.Second), nil},
		{3, 31, "again", true, at, nil},
		{4, 40, "x", true, at, nil},
		{5, 50, "y", false, at, &kept},
	}
	if !slices.EqualFunc(got, want, func(a, b row) bool {
		return a.id == b.id && a.n == b.n && a.s == b.s && a.b == b.b && a.at.Equal(b.at) && (a.note == nil) == (b.note == nil) && (a.note == nil || *a.note == *b.note)
	}) {
		t.Errorf("rows = %+v, want %+v", got, want)
	}
}

// On PostgreSQL, each sends its values as one array: text and ids, with the fixed
// arguments first, repeats and values that match nothing.
func TestPostgresEachArray(t *testing.T) {
	d := testkit.NewDB(t, db.Postgres)
	ctx := context.Background()
	err := d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "CREATE TEMP TABLE kv (sys TEXT NOT NULL, k TEXT NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (sys, k))"); err != nil {
			return err
		}
		for i, k := range []string{"a", "b", "c,d", `"e"`} {
			for _, sys := range []string{"one", "two"} {
				if _, err := tx.ExecContext(ctx, "INSERT INTO kv (sys, k, id) VALUES (?, ?, ?)", sys, k, int64(i+1)); err != nil {
					return err
				}
			}
		}
		w := newBulkSQL(tx)
		defer w.close()
		var ids []int64
		collect := func(scan func(...any) error) error {
			var id int64
			err := scan(&id)
			ids = append(ids, id)
			return err
		}
		many := make([]any, 0, 2000)
		for range 500 {
			many = append(many, "a", "c,d", `"e"`, "nobody")
		}
		if err := w.each(ctx, "SELECT id FROM kv WHERE sys = ? AND k IN ", " ORDER BY id", []any{"two"}, many, collect); err != nil {
			return err
		}
		if want := []int64{1, 3, 4}; !slices.Equal(ids, want) {
			t.Errorf("by key: %v, want %v", ids, want)
		}
		ids = nil
		if err := w.each(ctx, "SELECT id FROM kv WHERE sys = 'one' AND id IN ", " ORDER BY id", nil, []any{int64(2), int64(4), int64(9)}, collect); err != nil {
			return err
		}
		if want := []int64{2, 4}; !slices.Equal(ids, want) {
			t.Errorf("by id: %v, want %v", ids, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
