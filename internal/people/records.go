package people

import (
	"context"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

// RecordQuery asks for one page of whole person records, in id order: what the JSON API's
// list serves to tools that keep a copy in step ("everyone tagged volunteer", "everyone
// changed since yesterday").
type RecordQuery struct {
	// Tags keeps people holding any of these tags.
	Tags []string
	// Email keeps the person holding this address (any of theirs, not only the primary).
	Email string
	// UpdatedSince keeps people changed at or after this time; zero means no bound.
	UpdatedSince time.Time
	// After keeps ids above it (keyset paging: the last id of the previous page).
	After int64
	// Offset skips that many records first, for clients that page by number.
	Offset int
	// Limit is the page size (see pageSize).
	Limit int
}

// RecordPage is one page of whole person records.
type RecordPage struct {
	People []Person
	// Total is how many people match the query's filters, on every page.
	Total int
	// More is true when a further page exists; its After is the last person's id.
	More bool
}

// Records returns one page of whole person records matching q, in id order.
func (s *Service) Records(ctx context.Context, actor auth.Actor, q RecordQuery) (RecordPage, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return RecordPage{}, err
	}
	f := Filter{Tags: q.Tags}
	var l errs.List
	if err := f.Validate(); err != nil {
		l = append(l, errs.Fields(err)...)
	}
	var email string
	if q.Email != "" {
		var ok bool
		if email, ok = NormalizeEmail(q.Email); !ok {
			l.Add("email", "people.email.invalid")
		}
	}
	if q.Offset < 0 {
		l.Add("page", "people.cursor.invalid")
	}
	if err := l.Err(); err != nil {
		return RecordPage{}, err
	}
	c, err := compile(ctx, s.db, f)
	if err != nil {
		return RecordPage{}, coded(err)
	}
	if email != "" {
		c.addSetOnce("person_emails", "email = ?", false, true, email)
	}
	if !q.UpdatedSince.IsZero() {
		// Drives through people_updated (updated_at, id) when few people changed.
		c.addColumn("p.updated_at", "p.updated_at >= ?", q.UpdatedSince.UTC())
	}
	var page RecordPage
	if page.Total, err = c.count(ctx, s.db); err != nil {
		return RecordPage{}, err
	}
	where, args, err := c.where(ctx, s.db)
	if err != nil {
		return RecordPage{}, coded(err)
	}
	limit := pageSize(q.Limit)
	var ids []int64
	err = eachRow(ctx, s.db, "SELECT p.id FROM people p WHERE p.id > ? AND "+where+" ORDER BY p.id LIMIT ? OFFSET ?",
		append(append([]any{q.After}, args...), limit+1, q.Offset), func(scan func(...any) error) error {
			var id int64
			err := scan(&id)
			ids = append(ids, id)
			return err
		})
	if err != nil {
		return RecordPage{}, coded(err)
	}
	if len(ids) > limit {
		ids, page.More = ids[:limit], true
	}
	for _, id := range ids {
		p, err := loadPerson(ctx, s.db, id)
		if errs.CodeOf(err) == errs.CodeNotFound {
			continue // deleted between the two reads
		}
		if err != nil {
			return RecordPage{}, coded(err)
		}
		page.People = append(page.People, p)
	}
	return page, nil
}
