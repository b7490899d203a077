package people

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"solidarity/internal/db"
)

// bulkParams bounds the values one multi-row statement binds (SQLite allows 32,766,
// PostgreSQL 65,535).
const bulkParams = 6000

// bulkSQL runs the many-row statements of one import batch: inserts of many rows a
// statement, and reads with IN lists of many values. A statement of the full size is
// prepared once per transaction and run again for every full chunk, so that a batch parses
// each statement once instead of once per chunk; the last, shorter chunk runs as is. (On
// PostgreSQL both bind arrays instead, one statement for all the values: see insertArrays
// and each.)
type bulkSQL struct {
	tx    *db.Tx
	stmts map[string]*sql.Stmt
}

func newBulkSQL(tx *db.Tx) *bulkSQL { return &bulkSQL{tx: tx, stmts: map[string]*sql.Stmt{}} }

// close releases the prepared statements; call it before the transaction ends.
func (w *bulkSQL) close() {
	for _, st := range w.stmts {
		_ = st.Close()
	}
	w.stmts = nil
}

// insert runs prefix with as many "(?, …)" groups of n values as vals holds, then suffix.
// Every value must already be in the form the database stores (times in UTC), since
// prepared statements bypass db's normalization.
//
// On SQLite the statement is INSERT OR FAIL: a failing row ends it without undoing the rows
// before it, so SQLite keeps no statement journal to undo it with (about a tenth of an
// import's time); any error fails the whole batch's transaction anyway.
func (w *bulkSQL) insert(ctx context.Context, prefix string, n int, vals []any, suffix string) error {
	if w.tx.Dialect() == db.SQLite {
		prefix = strings.Replace(prefix, "INSERT INTO ", "INSERT OR FAIL INTO ", 1)
	}
	if w.tx.Dialect() == db.Postgres {
		if done, err := w.insertArrays(ctx, prefix, n, vals, suffix); done {
			return err
		}
	}
	per := bulkParams / n
	group := "(" + placeholders(n) + ")"
	text := func(rows int) string { return prefix + strings.Repeat(group+", ", rows-1) + group + suffix }
	for len(vals) > 0 {
		rows := min(per, len(vals)/n)
		part := vals[:rows*n]
		vals = vals[rows*n:]
		if rows < per {
			if _, err := w.tx.ExecContext(ctx, text(rows), part...); err != nil {
				return fmt.Errorf("people: bulk insert: %w", err)
			}
			continue
		}
		key := prefix + suffix
		st := w.stmts[key]
		if st == nil {
			var err error
			if st, err = prepare(ctx, w.tx, text(per)); err != nil {
				return err
			}
			w.stmts[key] = st
		}
		if _, err := st.ExecContext(ctx, part...); err != nil {
			return fmt.Errorf("people: bulk insert: %w", err)
		}
	}
	return nil
}

// insertArrays is insert on PostgreSQL: one statement binds one array a column, which
// unnest turns back into rows (INSERT … SELECT * FROM unnest($1::bigint[], $2::text[], …)),
// so that a batch's rows of a table take one statement, the same text whatever their
// number, instead of one of up to 6,000 parameters for every few hundred rows, each parsed
// and planned anew. It reports false, having done nothing, when a column's values are not
// all of one Go type it has an array type for (int64 or int, string, bool, time.Time), as
// a nil would be, or prefix does not end with VALUES.
func (w *bulkSQL) insertArrays(ctx context.Context, prefix string, n int, vals []any, suffix string) (bool, error) {
	head, ok := strings.CutSuffix(prefix, "VALUES ")
	if !ok || n <= 0 || len(vals)%n != 0 {
		return false, nil
	}
	if len(vals) == 0 {
		return true, nil
	}
	cols := make([]any, n)
	casts := make([]string, n)
	for c := range n {
		if cols[c], casts[c], ok = pgArray(vals, n, c); !ok {
			return false, nil
		}
	}
	if _, err := w.tx.ExecContext(ctx, head+"SELECT * FROM unnest("+strings.Join(casts, ", ")+")"+suffix, cols...); err != nil {
		return true, fmt.Errorf("people: bulk insert: %w", err)
	}
	return true, nil
}

// pgArray returns column c of rows of n values as a Go slice, which pgx sends as a
// PostgreSQL array, and its placeholder cast to that array's type.
func pgArray(vals []any, n, c int) (any, string, bool) {
	switch vals[c].(type) {
	case int64:
		a, ok := columnOf(vals, n, c, func(v int64) int64 { return v })
		return a, "?::bigint[]", ok
	case int:
		a, ok := columnOf(vals, n, c, func(v int) int64 { return int64(v) })
		return a, "?::bigint[]", ok
	case string:
		a, ok := columnOf(vals, n, c, func(v string) string { return v })
		return a, "?::text[]", ok
	case bool:
		a, ok := columnOf(vals, n, c, func(v bool) bool { return v })
		return a, "?::boolean[]", ok
	case time.Time:
		a, ok := columnOf(vals, n, c, func(v time.Time) time.Time { return v })
		return a, "?::timestamptz[]", ok
	}
	return nil, "", false
}

// columnOf returns column c of rows of n values, converted by conv; false when a value is
// not a T.
func columnOf[T, U any](vals []any, n, c int, conv func(T) U) ([]U, bool) {
	out := make([]U, 0, len(vals)/n)
	for i := c; i < len(vals); i += n {
		v, ok := vals[i].(T)
		if !ok {
			return nil, false
		}
		out = append(out, conv(v))
	}
	return out, true
}

// inChunk is how many values one IN list of each holds.
const inChunk = 500

// each runs before + "(?, …)" + after for every chunk of up to inChunk values of vals,
// after the fixed arguments first, and calls fn for each row. The statement for a full
// chunk is prepared once per transaction, as insert's.
func (w *bulkSQL) each(ctx context.Context, before, after string, first []any, vals []any, fn func(scan func(...any) error) error) error {
	if w.tx.Dialect() == db.SQLite && len(vals) > 0 {
		if done, err := w.eachJSON(ctx, before, after, first, vals, fn); done {
			return err
		}
	}
	if w.tx.Dialect() == db.Postgres && len(vals) > 0 {
		// On PostgreSQL the values travel as one array, unnested in a subquery: one
		// statement of the same text for any number of values, which PostgreSQL answers
		// by looking each value up in the index. As an IN list or "= ANY(array)", the
		// lookup of external ids, whose table the import itself fills, was planned from
		// statistics that predate those rows and read every id of the system against
		// the list (40 ms to 2.7 s for 500 values among 150,000).
		if list, cast, ok := pgArray(vals, 1, 0); ok {
			args := append(append(make([]any, 0, len(first)+1), first...), list)
			return eachRow(ctx, w.tx, before+"(SELECT unnest("+cast+"))"+after, args, fn)
		}
	}
	for len(vals) > 0 {
		n := min(inChunk, len(vals))
		args := append(append(make([]any, 0, len(first)+n), first...), vals[:n]...)
		vals = vals[n:]
		text := before + "(" + placeholders(n) + ")" + after
		if n < inChunk {
			if err := eachRow(ctx, w.tx, text, args, fn); err != nil {
				return err
			}
			continue
		}
		st := w.stmts[text]
		if st == nil {
			var err error
			if st, err = prepare(ctx, w.tx, text); err != nil {
				return err
			}
			w.stmts[text] = st
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("people: query: %w", err)
		}
		for rows.Next() {
			if err := fn(rows.Scan); err != nil {
				rows.Close()
				return fmt.Errorf("people: scan: %w", err)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("people: rows: %w", err)
		}
	}
	return nil
}

// prepare returns a statement prepared in tx, rebound for the dialect.
func prepare(ctx context.Context, tx *db.Tx, q string) (*sql.Stmt, error) {
	if tx.Dialect() == db.Postgres {
		q = db.Rebind(q)
	}
	st, err := tx.SQL().PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("people: prepare: %w", err)
	}
	return st, nil
}

// newPersonIDs reserves n ids for people the caller inserts with explicit ids in a
// multi-row statement (RETURNING does not promise its rows in the order of the VALUES).
// On SQLite the write transaction holds the only write lock, so the ids after the
// largest one are free until it commits (the same ids SQLite itself would pick); on
// PostgreSQL they come from the identity's sequence, and the insert must say OVERRIDING
// SYSTEM VALUE.
func newPersonIDs(ctx context.Context, tx *db.Tx, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if n == 0 {
		return ids, nil
	}
	if tx.Dialect() == db.SQLite {
		var top int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM people").Scan(&top); err != nil {
			return nil, fmt.Errorf("people: last person id: %w", err)
		}
		for i := range n {
			ids = append(ids, top+1+int64(i))
		}
		return ids, nil
	}
	err := eachRow(ctx, tx, "SELECT nextval(pg_get_serial_sequence('people', 'id')) FROM generate_series(1, ?) ORDER BY 1", []any{n},
		func(scan func(...any) error) error {
			var id int64
			err := scan(&id)
			ids = append(ids, id)
			return err
		})
	if err == nil && len(ids) != n {
		err = fmt.Errorf("got %d of %d", len(ids), n)
	}
	if err != nil {
		return nil, fmt.Errorf("people: reserve person ids: %w", err)
	}
	return ids, nil
}
