package people

import (
	"context"
	"slices"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/testkit"
)

// each finds the same rows whether its values travel as JSON (SQLite), as an array
// (PostgreSQL) or as an IN list of arguments (SQLite, when a value is not UTF-8).
func TestEachLooksUpEveryValue(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, "CREATE TEMP TABLE looked (k TEXT PRIMARY KEY, v INTEGER NOT NULL)"); err != nil {
				return err
			}
			keys := []string{"ana@example.org", "josé@example.org", `quote"and\\backslash`, "<b>&amp;</b>", "\u2028line"}
			if tx.Dialect() == db.SQLite {
				keys = append(keys, "\xff\xfe") // not UTF-8: SQLite stores it; PostgreSQL refuses it
			}
			for i, k := range keys {
				if _, err := tx.ExecContext(ctx, "INSERT INTO looked (k, v) VALUES (?, ?)", k, i); err != nil {
					return err
				}
			}
			w := newBulkSQL(tx)
			defer w.close()
			find := func(vals []any) []int {
				var got []int
				err := w.each(ctx, "SELECT v FROM looked WHERE k IN ", " ORDER BY v", nil, vals, func(scan func(...any) error) error {
					var v int
					err := scan(&v)
					got = append(got, v)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			var vals []any
			for _, k := range keys {
				vals = append(vals, k)
			}
			vals = append(vals, "nobody@example.org")
			want := make([]int, len(keys))
			for i := range want {
				want[i] = i
			}
			if got := find(vals); !slices.Equal(got, want) {
				t.Errorf("found %v, want %v", got, want)
			}
			if got := find(vals[:len(vals)-2]); !slices.Equal(got, want[:len(want)-1]) && tx.Dialect() == db.SQLite {
				t.Errorf("UTF-8 values only: found %v, want %v", got, want[:len(want)-1])
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
