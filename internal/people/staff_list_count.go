package people

import (
	"context"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

// ListCount returns how many people a list query matches (its filter and its name search),
// for the result count above a page of the list; Sort, After and Limit are ignored.
func (s *Service) ListCount(ctx context.Context, actor auth.Actor, q ListQuery) (int, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return 0, err
	}
	if err := q.Filter.Validate(); err != nil {
		return 0, err
	}
	c, err := compile(ctx, s.db, q.Filter)
	if err != nil {
		return 0, coded(err)
	}
	// The same name condition as List: every word starts a word of the name.
	for i, w := range strings.Fields(Fold(q.Search)) {
		if i == 5 {
			break
		}
		c.add("p.id IN (SELECT person_id FROM person_terms WHERE term >= ? AND term < ?)", w, prefixEnd(w))
	}
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM people p WHERE "+c.sql(), c.args...).Scan(&n); err != nil {
		return 0, errs.Internalf("people: count list: %w", err)
	}
	return n, nil
}
