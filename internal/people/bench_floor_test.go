package people_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/people"
)

// BenchmarkImportFloor measures what SQLite itself needs to store the rows an import of new
// people writes, with none of the import's own work: no file to read, no values to check
// or bind, no decisions. Each iteration fills a temporary table with
// SOLIDARITY_BENCH_IMPORT_ROWS synthetic rows shaped like BenchmarkImportCSV's (not timed),
// then times, in one bulk transaction as the import's (db.InBulkTx), the lookups that find
// no one and the statements that copy the rows into every table an imported person has a
// row in (people, e-mails, phones, name words, tags, two consents, the source's id), and
// the commit. Its rows/s is the most any import can reach on this machine with this
// schema; run it as BenchmarkImportCSV, on a copy of the database:
//
//	SOLIDARITY_BENCH_PEOPLE=1000000 SOLIDARITY_BENCH_DIR=/tmp/copy go test ./internal/people/ \
//	  -run '^$' -bench ImportFloor -benchtime 3x -timeout 60m
func BenchmarkImportFloor(b *testing.B) {
	d, _ := bench(b)
	if d.Dialect() != db.SQLite {
		b.Skip("the floor is measured on SQLite")
	}
	ctx := context.Background()
	n := envInt("SOLIDARITY_BENCH_IMPORT_ROWS", 50000)
	var tag int64
	if err := d.QueryRowContext(ctx, "SELECT id FROM tags WHERE name_key = 'volunteer'").Scan(&tag); err != nil {
		b.Fatal(err)
	}
	// The page cache an import has (without it the floor would be a fifth lower).
	restore, err := people.TuneForBulk(ctx, d)
	if err != nil {
		b.Fatal(err)
	}
	defer restore()
	var timed time.Duration
	for i := 0; i < b.N; i++ {
		nonce := time.Now().UnixNano()
		err := d.InBulkTx(ctx, func(tx *db.Tx) error {
			if err := fillFloorSource(ctx, tx, n, nonce); err != nil {
				return err
			}
			now := tx.Stamp(tx.Now)
			var top int64
			if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM people").Scan(&top); err != nil {
				return err
			}
			start := time.Now()
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{"SELECT COUNT(*) FROM person_emails WHERE email IN (SELECT email FROM temp.floor)", nil},
				{"SELECT COUNT(*) FROM person_phones WHERE phone IN (SELECT phone FROM temp.floor WHERE phone != '')", nil},
				{"SELECT COUNT(*) FROM person_refs WHERE system = 'action_network' AND ref IN (SELECT ref FROM temp.floor)", nil},
				// SQLite gives the rows the ids top + i, in order, as the import lets it; with
				// ids given, it would keep a journal of every page the statement changes.
				// As the import, the row carries the consents inserted below (migration
				// 00015), whose triggers then only look.
				{`INSERT OR FAIL INTO people (given_name, family_name, name_key, sound_key, email, phone, state, zip, language, created_via,
					created_at, updated_at, last_active_at, email_consent, sms_consent)
					SELECT given, family, family_key || ' ' || given_key, 'X0:X0', email, phone, state, zip, 'en', 'import', ?, ?, ?,
					'granted', CASE WHEN phone != '' THEN 'granted' ELSE '' END
					FROM temp.floor ORDER BY i`, []any{now, now, now}},
				{"INSERT OR FAIL INTO person_emails (email, person_id, is_primary, created_at) SELECT email, ? + i, 1, ? FROM temp.floor ORDER BY email", []any{top, now}},
				{"INSERT OR FAIL INTO person_phones (phone, person_id, is_primary, created_at) SELECT phone, ? + i, 1, ? FROM temp.floor WHERE phone != '' ORDER BY phone", []any{top, now}},
				{`INSERT OR FAIL INTO person_terms (term, person_id) SELECT term, id FROM (
					SELECT given_key AS term, ? + i AS id FROM temp.floor UNION SELECT family_key, ? + i FROM temp.floor
					UNION SELECT second_key, ? + i FROM temp.floor WHERE second_key != '') ORDER BY 1, 2`, []any{top, top, top}},
				{"INSERT OR FAIL INTO person_tags (tag_id, person_id) SELECT ?, ? + i FROM temp.floor ORDER BY i", []any{tag, top}},
				{`INSERT OR FAIL INTO consents (person_id, channel, status, at, method) SELECT ? + i, 'email', 'granted', ?, 'import' FROM temp.floor
					UNION ALL SELECT ? + i, 'sms', 'granted', ?, 'import' FROM temp.floor WHERE phone != '' ORDER BY 1, 2`, []any{top, now, top, now}},
				{"INSERT OR FAIL INTO person_refs (system, ref, person_id) SELECT 'action_network', ref, ? + i FROM temp.floor ORDER BY ref", []any{top}},
			} {
				if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
					return fmt.Errorf("%.60s: %w", strings.TrimSpace(q.sql), err)
				}
			}
			tx.AfterCommit(func() { timed += time.Since(start) })
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	perRow := float64(timed.Microseconds()) / float64(b.N*n)
	b.ReportMetric(perRow, "engine-µs/row")
	b.ReportMetric(1e6/perRow, "ceiling-rows/s")
}

// fillFloorSource makes temp.floor: n rows of new people, named, addressed and reachable as
// writeImportFile's are (a phone for two in three, two family names for one in eight).
func fillFloorSource(ctx context.Context, tx *db.Tx, n int, nonce int64) error {
	// Phones continue after the last one an earlier iteration made, in an unassigned area
	// code (999), so that none is already taken.
	var next int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(CAST(substr(phone, 6) AS INTEGER)), 0) + 1 FROM person_phones
		WHERE phone >= '+1999' AND phone < '+2'`).Scan(&next)
	if err == nil {
		_, err = tx.ExecContext(ctx, "DROP TABLE IF EXISTS temp.floor")
	}
	if err == nil {
		_, err = tx.ExecContext(ctx, `CREATE TEMP TABLE floor AS
			WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?),
			given(k, name) AS (VALUES (0, 'María'), (1, 'José'), (2, 'Ana'), (3, 'Luis'), (4, 'James'), (5, 'Mary'), (6, 'Guadalupe'), (7, 'Wei'), (8, 'Fatima'), (9, 'Pedro')),
			family(k, name, second) AS (VALUES (0, 'García', ''), (1, 'López', ''), (2, 'Smith', ''), (3, 'Nguyen', ''), (4, 'Hernández Ruiz', 'ruiz'), (5, 'Okafor', ''), (6, 'Díaz', ''), (7, 'Pérez', ''))
			SELECT i, g.name AS given, f.name AS family, lower(g.name) AS given_key, lower(f.name) AS family_key, f.second AS second_key,
				'floor' || ? || '.' || i || '@example.org' AS email,
				CASE WHEN i % 3 != 0 THEN '+1999' || printf('%08d', ? + i) ELSE '' END AS phone,
				printf('%05d', 10000 + abs(random()) % 89999) AS zip, 'TX' AS state, 'f' || ? || '-' || i AS ref
			FROM s JOIN given g ON g.k = (i * 7) % 10 JOIN family f ON f.k = (i * 13 + i / 10) % 8`, n, nonce, next, nonce)
	}
	return err
}
