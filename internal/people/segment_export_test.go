package people

import (
	"context"
	"strings"

	"solidarity/internal/db"
)

// Hooks for the tests of package people_test, which may use peoplegen (that imports this
// package) to make data.

// SetPlanLimits shrinks the thresholds that pick SQLite's plans, so that a few thousand
// people take the plans a million take; the returned function restores them.
func SetPlanLimits(budget, driver int) func() {
	b, d := countBudget, pageDriver
	countBudget, pageDriver = budget, driver
	return func() { countBudget, pageDriver = b, d }
}

// PlainCount counts the people of a filter and name search with every condition written
// plainly (sets as IN), the reference that planned counts must agree with.
func PlainCount(ctx context.Context, q db.Queryer, f Filter, search string) (int, error) {
	if err := f.Validate(); err != nil {
		return 0, err
	}
	c, err := compile(ctx, q, f)
	if err != nil {
		return 0, err
	}
	for _, w := range strings.Fields(Fold(search)) {
		c.addSet("person_terms", "term >= ? AND term < ?", false, w, prefixEnd(w))
	}
	var n int
	err = q.QueryRowContext(ctx, "SELECT COUNT(*) FROM people p WHERE "+c.sql(), c.args...).Scan(&n)
	return n, err
}
