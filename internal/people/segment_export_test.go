package people

import (
	"context"

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
	c, err := compileSearch(ctx, q, f, search)
	if err != nil {
		return 0, err
	}
	var n int
	err = q.QueryRowContext(ctx, "SELECT COUNT(*) FROM people p WHERE "+c.sql(), c.args...).Scan(&n)
	return n, err
}

// CountInParts counts the people of a filter and name search as a merge run in parts
// (countParts), whatever plan a count would pick.
func CountInParts(ctx context.Context, d *db.DB, f Filter, search string, parts int) (int, error) {
	c, err := compileSearch(ctx, d, f, search)
	if err != nil {
		return 0, err
	}
	return c.countParts(ctx, d, parts)
}

// compileSearch compiles a filter and a name search as the list does.
func compileSearch(ctx context.Context, q db.Queryer, f Filter, search string) (*compiled, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	c, err := compile(ctx, q, f)
	if err != nil {
		return nil, err
	}
	c.addSearch(search)
	return c, nil
}
