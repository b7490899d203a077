package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// compiled is a filter turned into conditions. Only fixed SQL text and ? placeholders are
// ever written; every user value is an argument.
//
// A condition is either a column condition on the people row p (language, region, dates)
// or a set condition: people listed in another table (tags, memberships, affiliations,
// consents, name words). On SQLite a consent rides on a language or state condition when
// the filter has one (see compile): those indexes carry it, so that the pair is one index
// range everywhere below. How each is written decides SQLite's plan, so every query shape
// picks its form from a cheap, bounded size of each condition (an index range read up to
// a limit):
//
//   - a page or a run of contacts starts from the smallest condition when it is small
//     (IN, or the column's index) and tests the rest row by row while walking the sort
//     order's index (EXISTS, and columns written +p.col so that SQLite does not pick their
//     index instead), stopping at the page's end;
//   - a count starts from the smallest condition when it is small, and otherwise
//     intersects the sorted id streams of every condition (INTERSECT … ORDER BY, which
//     SQLite runs as a merge of covering-index ranges, with no per-row lookups); a count
//     of everyone reads the row that triggers keep (migration 00011), and one condition
//     alone is counted from its index.
//
// PostgreSQL's planner does this itself (semi-joins, bitmap scans), so there every
// condition is written plainly; a count that reads consents is planned for its values and
// without parallel workers (see count).
type compiled struct {
	conds []cond
	never bool // matches nobody (an unknown tag)
	// args are every condition's arguments in order, for sql().
	args []any
}

type cond struct {
	column  string // a condition on p, or "" for a set
	col     string // the column it tests ("p.state"), so that its index can be turned off
	table   string // the set's table, holding person_id
	pred    string // the set's condition on table
	probe   string // pred as tested for one person, when it must differ (see compile)
	exclude bool   // people NOT in the set
	unique  bool   // the set lists each person at most once
	args    []any
	// with are column conditions read from the same index entries as this column
	// condition (a consent on people_language or people_state), written after it.
	with []cond
}

// allArgs are the arguments of the condition and of those riding on it, in their order.
func (k cond) allArgs() []any {
	if len(k.with) == 0 {
		return k.args
	}
	args := append([]any{}, k.args...)
	for _, w := range k.with {
		args = append(args, w.args...)
	}
	return args
}

// addColumn adds a condition on the people column col.
func (c *compiled) addColumn(col, where string, args ...any) {
	c.conds = append(c.conds, cond{column: where, col: col, args: args})
	c.args = append(c.args, args...)
}

// addSet adds "listed in table where pred" (or, with exclude, not listed).
func (c *compiled) addSet(table, pred string, exclude bool, args ...any) {
	c.addSetOnce(table, pred, exclude, false, args...)
}

// addSetOnce is addSet for a set that lists each person at most once, which a count can
// read straight from its index.
func (c *compiled) addSetOnce(table, pred string, exclude, unique bool, args ...any) {
	c.conds = append(c.conds, cond{table: table, pred: pred, exclude: exclude, unique: unique, args: args})
	c.args = append(c.args, args...)
}

// addSearch adds the list's name search: every word (up to five) starts a word of the
// person's name.
func (c *compiled) addSearch(search string) {
	for i, w := range strings.Fields(Fold(search)) {
		if i == 5 {
			break
		}
		c.addSet("person_terms", "term >= ? AND term < ?", false, w, prefixEnd(w))
	}
}

// base is the condition every rendering starts with.
func (c *compiled) base() string {
	if c.never {
		return "1=0"
	}
	return "1=1"
}

// sql renders every condition on p in its plain form (sets as IN), with c.args as its
// arguments: right for PostgreSQL and for small results; pages and counts over large sets
// should use where and countSQL.
func (c *compiled) sql() string {
	parts := []string{c.base()}
	for _, k := range c.conds {
		parts = append(parts, k.render(plain))
	}
	return strings.Join(parts, " AND ")
}

// ids is the condition's stream of person ids.
func (k cond) ids() string {
	if k.column != "" {
		return "SELECT p.id FROM people p WHERE " + k.render(plain)
	}
	return "SELECT person_id FROM " + k.table + " WHERE " + k.pred
}

// How a condition is written: plainly (every dialect), driving a SQLite plan, or tested
// row by row in a SQLite plan that another condition or an index order drives.
type role int

const (
	plain role = iota
	driving
	tested
)

// render writes the condition on p: plainly (a set as IN, a column as is), driving (a set
// as IN, a column marked as holding few rows, so that SQLite reads its index even for a
// one-sided date range, whose size it cannot guess), or tested (a set as EXISTS, a column
// with its index turned off). The conditions riding on a column follow it, tested when it
// is and plainly otherwise: they never choose the index, only narrow what it yields.
func (k cond) render(r role) string {
	if len(k.with) > 0 {
		parts := []string{cond{column: k.column, col: k.col}.render(r)}
		for _, w := range k.with {
			wr := plain
			if r == tested {
				wr = tested
			}
			parts = append(parts, w.render(wr))
		}
		return strings.Join(parts, " AND ")
	}
	switch {
	case k.column != "" && r == driving && k.col != "":
		// Only a condition measured small drives (see smallest).
		return "likelihood(" + k.column + ", 0.001)"
	case k.column != "" && (r != tested || k.col == ""):
		return k.column
	case k.column != "":
		return strings.ReplaceAll(k.column, k.col, "+"+k.col)
	case r != tested && !k.exclude:
		return "p.id IN (" + k.ids() + ")"
	}
	pred := k.pred
	if k.probe != "" && r == tested {
		pred = k.probe
	}
	if k.exclude {
		return "NOT EXISTS (SELECT 1 FROM " + k.table + " WHERE person_id = p.id AND " + pred + ")"
	}
	return "EXISTS (SELECT 1 FROM " + k.table + " WHERE person_id = p.id AND " + pred + ")"
}

// smallest returns the index of the condition holding the fewest people and how many it
// holds, when at most limit, or -1. Only positive conditions that can drive are measured,
// each by reading at most limit+1 entries of its index.
func (c *compiled) smallest(ctx context.Context, q db.Queryer, limit int) (int, int, error) {
	best, size := -1, limit+1
	for i, k := range c.conds {
		if k.exclude || k.column != "" && k.col == "" {
			continue
		}
		var n int
		err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+k.ids()+" LIMIT ?) s", append(append([]any{}, k.allArgs()...), limit+1)...).Scan(&n)
		if err != nil {
			return -1, 0, fmt.Errorf("people: size a condition: %w", err)
		}
		if n < size {
			best, size = i, n
		}
	}
	if best < 0 {
		return -1, 0, nil
	}
	return best, size, nil
}

// pageDriver bounds the condition a page starts from: starting there costs a sort of that
// many rows; walking the sort order instead costs a test per row passed over. (A variable
// only so that tests on small data can take the plans of large data.)
var pageDriver = 20000

// Costs of SQLite's work per row, in nanoseconds, measured on a million people: reading
// a person's row by id, testing one set (an index lookup), and streaming one index entry
// through a merge. A count starts from its smallest condition while that costs less than
// countBudget, and merges sorted streams otherwise.
const (
	rowCost   = 1500
	probeCost = 4000
)

var countBudget = 150_000_000 // a variable for tests, as pageDriver

// where renders every condition for a query that walks an index of people (a page, a run
// of contacts) and returns its text and arguments.
func (c *compiled) where(ctx context.Context, q db.Queryer) (string, []any, error) {
	if q.Dialect() == db.Postgres || c.never {
		return c.sql(), c.args, nil
	}
	drive, _, err := c.smallest(ctx, q, pageDriver)
	if err != nil {
		return "", nil, err
	}
	return c.render(drive), c.args, nil
}

// render writes every condition, the one at drive (if any) driving.
func (c *compiled) render(drive int) string {
	parts := []string{c.base()}
	for i, k := range c.conds {
		r := tested
		if i == drive {
			r = driving
		}
		parts = append(parts, k.render(r))
	}
	return strings.Join(parts, " AND ")
}

// countSQL returns the query that counts the filter's people.
func (c *compiled) countSQL(ctx context.Context, q db.Queryer) (string, []any, error) {
	query, args, _, err := c.countPlan(ctx, q)
	return query, args, err
}

// countPlan returns the query that counts the filter's people, and whether it is a merge
// (mergeSQL), which count may run in parts.
func (c *compiled) countPlan(ctx context.Context, q db.Queryer) (string, []any, bool, error) {
	switch {
	case c.never:
		return "SELECT 0", nil, false, nil
	case len(c.conds) == 0 && q.Dialect() == db.SQLite:
		// A row kept exact by triggers (migration 00011): SQLite would otherwise step
		// through a million index entries.
		return "SELECT n FROM people_count WHERE id = 1", nil, false, nil
	case len(c.conds) == 0:
		return "SELECT COUNT(*) FROM people", nil, false, nil
	}
	// One condition is counted straight from its index.
	if k := c.conds[0]; len(c.conds) == 1 && k.unique && !k.exclude {
		return "SELECT COUNT(*) FROM " + k.table + " WHERE " + k.pred, k.args, false, nil
	}
	// A language or state with a consent is one range of the column's index.
	if k := c.conds[0]; len(c.conds) == 1 && k.column != "" {
		return "SELECT COUNT(*) FROM people p WHERE " + k.render(plain), k.allArgs(), false, nil
	}
	// One set that may list a person twice (two words of a name start the same way) is
	// counted from its index with one sort, where the merge below would sort it twice.
	// (+person_id keeps SQLite from reading the whole person_id index in order instead.)
	if k := c.conds[0]; len(c.conds) == 1 && !k.exclude {
		return "SELECT COUNT(*) FROM (SELECT 1 FROM " + k.table + " WHERE " + k.pred + " GROUP BY +person_id) s", k.args, false, nil
	}
	if q.Dialect() == db.Postgres {
		return "SELECT COUNT(*) FROM people p WHERE " + c.sql(), c.args, false, nil
	}
	sets := 0
	for _, k := range c.conds {
		if k.column == "" {
			sets++
		}
	}
	perRow := rowCost + probeCost*sets // a set driving is not tested again; a column driving costs its row
	limit := countBudget / perRow
	drive, _, err := c.smallest(ctx, q, limit)
	if err != nil {
		return "", nil, false, err
	}
	if drive >= 0 {
		return "SELECT COUNT(*) FROM people p WHERE " + c.render(drive), c.args, false, nil
	}
	query, args := c.mergeSQL(false)
	return query, args, true, nil
}

// mergeSQL counts by intersecting the sorted id streams of every condition (and taking
// away those of the excluded sets), which SQLite runs as a merge of covering-index ranges.
// With within, every stream is cut to a range of ids whose two bounds stand among the
// arguments as rangeMarks, for countParts to fill in for each part.
func (c *compiled) mergeSQL(within bool) (string, []any) {
	var arms []string
	var args []any
	// The range is marked as keeping most rows (likelihood), so that SQLite still reads
	// the condition's index within it rather than every row of the range: memberships,
	// whose person_id is its rowid, would otherwise be read row by row.
	stream := func(k *cond) string {
		switch {
		case k == nil && within:
			return "SELECT id FROM people WHERE id BETWEEN ? AND ?"
		case k == nil:
			return "SELECT id FROM people"
		case !within:
			return k.ids()
		case k.column != "":
			return "SELECT p.id FROM people p WHERE (" + k.render(plain) + ") AND likelihood(p.id BETWEEN ? AND ?, 0.9)"
		}
		return "SELECT person_id FROM " + k.table + " WHERE (" + k.pred + ") AND likelihood(person_id BETWEEN ? AND ?, 0.9)"
	}
	bounds := func() {
		if within {
			args = append(args, rangeMark{}, rangeMark{})
		}
	}
	for i := range c.conds {
		if k := &c.conds[i]; !k.exclude {
			arms = append(arms, stream(k))
			args = append(args, k.allArgs()...)
			bounds()
		}
	}
	if len(arms) == 0 {
		arms = append(arms, stream(nil))
		bounds()
	}
	if len(arms) == 1 {
		arms = append(arms, arms[0]) // INTERSECT with itself drops repeats (a person with two of the tags)
		args = append(args, args...)
	}
	compound := strings.Join(arms, " INTERSECT ")
	for i := range c.conds {
		if k := &c.conds[i]; k.exclude {
			compound += " EXCEPT " + stream(k)
			args = append(args, k.args...)
			bounds()
		}
	}
	return "SELECT COUNT(*) FROM (" + compound + " ORDER BY 1) s", args
}

// rangeMark stands, among mergeSQL's arguments, for a bound of the range of ids a part
// counts: first the lowest, then the highest.
type rangeMark struct{}

// countParts runs a merge count (mergeSQL) as parts over equal ranges of person ids, each
// on its own read connection at once, and adds them up. SQLite runs a query on one core,
// and a merge reads every entry of every stream (volunteers who speak Spanish: 150,000 and
// 550,000), so that on 2 cores two halves take about half the time. The parts may read
// the database a moment apart, as two requests would: a person added meanwhile is counted
// or not, never twice (ids do not move between ranges).
func (c *compiled) countParts(ctx context.Context, d *db.DB, parts int) (int, error) {
	if c.never {
		return 0, nil
	}
	// Each of MIN and MAX alone reads one end of the id order; together in one SELECT
	// SQLite would read every row.
	var lo, hi sql.NullInt64
	if err := d.QueryRowContext(ctx, "SELECT (SELECT MIN(id) FROM people), (SELECT MAX(id) FROM people)").Scan(&lo, &hi); err != nil {
		return 0, errs.Internalf("people: count: id range: %w", err)
	}
	if !lo.Valid {
		return 0, nil
	}
	query, marked := c.mergeSQL(true)
	width := (hi.Int64-lo.Int64)/int64(parts) + 1
	counts := make([]int, parts)
	failed := make([]error, parts)
	var wg sync.WaitGroup
	for i := range parts {
		from := lo.Int64 + int64(i)*width
		bounds := [2]int64{from, min(from+width-1, hi.Int64)}
		args := make([]any, len(marked))
		next := 0
		for j, a := range marked {
			args[j] = a
			if _, mark := a.(rangeMark); mark {
				args[j] = bounds[next%2]
				next++
			}
		}
		wg.Go(func() {
			failed[i] = d.QueryRowContext(ctx, query, args...).Scan(&counts[i])
		})
	}
	wg.Wait()
	if err := errors.Join(failed...); err != nil {
		return 0, errs.Internalf("people: count: %w", err)
	}
	n := 0
	for _, k := range counts {
		n += k
	}
	return n, nil
}

// countCores is how many parts a merge count runs in at once: the cores, up to four.
var countCores = min(runtime.GOMAXPROCS(0), 4)

// count runs countSQL: how many people match. Callers that add conditions of their own
// to a compiled filter (addSet, addColumn) count with this rather than COUNT over c.sql(),
// which on SQLite probes row by row.
func (c *compiled) count(ctx context.Context, q db.Queryer) (int, error) {
	query, args, merge, err := c.countPlan(ctx, q)
	if err != nil {
		return 0, coded(err)
	}
	if d, ok := q.(*db.DB); ok && merge && countCores > 1 {
		return c.countParts(ctx, d, countCores)
	}
	var n int
	scan := func(q db.Queryer) error { return q.QueryRowContext(ctx, query, args...).Scan(&n) }
	if d, ok := q.(*db.DB); ok && d.Dialect() == db.Postgres && c.reads("consents") {
		err = d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, pgCountSettings); err != nil {
				return err
			}
			return scan(tx)
		})
	} else {
		err = scan(q)
	}
	if err != nil {
		return 0, errs.Internalf("people: count: %w", err)
	}
	return n, nil
}

// pgCountSettings are the planner settings of a PostgreSQL count that reads consents, for
// its transaction only (set_config's true is SET LOCAL), so that the connection goes back
// to the pool as it came. Measured at a million people on 2 cores, Spanish speakers with
// e-mail consent (550,000 ∩ 650,000 people) went from 340–380 to 150–165 ms (p50):
//
//   - a plan made for the values: the granted consents' partial indexes (migration 00014)
//     serve only such a plan, and from a statement's sixth run on a connection PostgreSQL
//     would reuse one plan made for any channel and status instead, reading the larger
//     consents_status. Planning each count costs about a millisecond.
//   - no parallel workers: the planner's parallel plans for these counts either build a
//     hash table of one side that spills to disk, or read the inner index whole in every
//     process (a parallel merge join, about twice the CPU of one merge of the sorted id
//     streams); with the application on the same cores they were slower (volunteers in
//     Texas with e-mail consent: 140–157 against 83–89 ms).
const pgCountSettings = "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), set_config('max_parallel_workers_per_gather', '0', true)"

// reads reports whether a condition reads table.
func (c *compiled) reads(table string) bool {
	for _, k := range c.conds {
		if k.table == table {
			return true
		}
	}
	return false
}
