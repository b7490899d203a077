package people

import (
	"context"

	"solidarity/internal/auth"
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
	c.addSearch(q.Search) // the same name condition as List
	return c.count(ctx, s.db)
}
