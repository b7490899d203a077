package people

import (
	"context"
	"strings"

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
	// The same name condition as List: every word starts a word of the name.
	for i, w := range strings.Fields(Fold(q.Search)) {
		if i == 5 {
			break
		}
		c.addSet("person_terms", "term >= ? AND term < ?", false, w, prefixEnd(w))
	}
	return c.count(ctx, s.db)
}
