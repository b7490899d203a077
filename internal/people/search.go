package people

import (
	"context"
	"strings"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Summary is a person as lists and search results show them, read from the people row
// alone so that a page costs one index range.
type Summary struct {
	ID           int64
	GivenName    string
	FamilyName   string
	Email        string // primary
	Phone        string // primary
	City         string
	State        string
	ZIP          string
	Language     string
	CreatedAt    time.Time
	LastActiveAt time.Time
}

// Name returns the name to show.
func (s Summary) Name() string { return strings.TrimSpace(s.GivenName + " " + s.FamilyName) }

const summaryColumns = "p.id, p.given_name, p.family_name, p.email, p.phone, p.city, p.state, p.zip, p.language, p.created_at, p.last_active_at"

func scanSummary(scan func(...any) error) (Summary, error) {
	var s Summary
	err := scan(&s.ID, &s.GivenName, &s.FamilyName, &s.Email, &s.Phone, &s.City, &s.State, &s.ZIP, &s.Language, &s.CreatedAt, &s.LastActiveAt)
	return s, err
}

// Search finds people for the quick-find box: an e-mail (or its beginning) when the query
// holds "@", a phone number when it looks like one, and otherwise names whose words start
// with the query's words ("mar gar" finds María García). Results come in the order of the
// matched word.
func (s *Service) Search(ctx context.Context, actor auth.Actor, query string, limit int) ([]Summary, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return nil, err
	}
	limit = pageSize(limit)
	query = strings.TrimSpace(query)
	if len(query) > 200 {
		return nil, errs.Invalid("q", "people.search.too_long")
	}
	var sqlText string
	var args []any
	switch {
	case query == "":
		return nil, nil
	case strings.Contains(query, "@"):
		e := strings.ToLower(query)
		sqlText = "SELECT " + summaryColumns + " FROM person_emails e JOIN people p ON p.id = e.person_id WHERE e.email >= ? AND e.email < ? ORDER BY e.email LIMIT ?"
		args = []any{e, prefixEnd(e), limit}
	case looksLikePhone(query):
		n, ok := NormalizePhone(query, s.cfg.DefaultRegion)
		if !ok {
			return nil, nil
		}
		sqlText = "SELECT " + summaryColumns + " FROM person_phones ph JOIN people p ON p.id = ph.person_id WHERE ph.phone = ? LIMIT ?"
		args = []any{n, limit}
	default:
		words := strings.Fields(Fold(query))
		if len(words) == 0 {
			return nil, nil
		}
		if len(words) > 5 {
			words = words[:5]
		}
		// The longest word drives the scan: it is usually the most selective.
		lead := 0
		for i, w := range words {
			if len(w) > len(words[lead]) {
				lead = i
			}
		}
		sqlText = "SELECT " + summaryColumns + " FROM person_terms t JOIN people p ON p.id = t.person_id WHERE t.term >= ? AND t.term < ?"
		args = []any{words[lead], prefixEnd(words[lead])}
		for i, w := range words {
			if i != lead {
				sqlText += " AND EXISTS (SELECT 1 FROM person_terms t2 WHERE t2.person_id = t.person_id AND t2.term >= ? AND t2.term < ?)"
				args = append(args, w, prefixEnd(w))
			}
		}
		sqlText += " ORDER BY t.term, t.person_id LIMIT ?"
		args = append(args, limit+10) // a person with two matching words shows twice
	}
	var out []Summary
	seen := map[int64]bool{}
	err := eachRow(ctx, s.db, sqlText, args, func(scan func(...any) error) error {
		sm, err := scanSummary(scan)
		if err == nil && !seen[sm.ID] && len(out) < limit {
			seen[sm.ID] = true
			out = append(out, sm)
		}
		return err
	})
	return out, coded(err)
}

// Sort orders a people list.
type Sort string

// The sort orders; a leading "-" means newest first.
const (
	SortName          Sort = "name"
	SortCreated       Sort = "created"
	SortCreatedDesc   Sort = "-created"
	SortActive        Sort = "active"
	SortActiveDesc    Sort = "-active"
	defaultListSortBy      = SortName
)

// sortSpec is a sort order's column, direction and how its cursor value is read.
type sortSpec struct {
	col  string
	desc bool
	time bool
}

var sorts = map[Sort]sortSpec{
	SortName:        {col: "p.name_key"},
	SortCreated:     {col: "p.created_at", time: true},
	SortCreatedDesc: {col: "p.created_at", desc: true, time: true},
	SortActive:      {col: "p.last_active_at", time: true},
	SortActiveDesc:  {col: "p.last_active_at", desc: true, time: true},
}

// ListQuery asks for one page of the people list.
type ListQuery struct {
	Filter Filter
	// Search narrows to names whose words start with these words.
	Search string
	Sort   Sort
	// After is the Next cursor of the previous page; "" for the first page.
	After string
	Limit int
}

// Page is one page of the people list.
type Page struct {
	People []Summary
	// Next is the cursor of the following page; "" on the last page.
	Next string
}

// List returns one page of people matching the filter, in the sort order, using keyset
// pagination (a page costs the same however deep it is).
func (s *Service) List(ctx context.Context, actor auth.Actor, q ListQuery) (Page, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return Page{}, err
	}
	if err := q.Filter.Validate(); err != nil {
		return Page{}, err
	}
	if q.Sort == "" {
		q.Sort = defaultListSortBy
	}
	spec, ok := sorts[q.Sort]
	if !ok {
		return Page{}, errs.Invalid("sort", "people.list.sort_invalid")
	}
	limit := pageSize(q.Limit)
	c, err := compile(ctx, s.db, q.Filter)
	if err != nil {
		return Page{}, coded(err)
	}
	c.addSearch(q.Search)
	where, args, err := c.where(ctx, s.db)
	if err != nil {
		return Page{}, coded(err)
	}
	if q.After != "" {
		cur, err := decodeCursor(q.After)
		if err != nil || cur.Sort != string(q.Sort) {
			return Page{}, errs.Invalid("cursor", "people.cursor.invalid")
		}
		var v any = cur.Value
		if spec.time {
			t, err := time.Parse(time.RFC3339Nano, cur.Value)
			if err != nil {
				return Page{}, errs.Invalid("cursor", "people.cursor.invalid")
			}
			v = t
		}
		op := ">"
		if spec.desc {
			op = "<"
		}
		where += " AND (" + spec.col + ", p.id) " + op + " (?, ?)"
		args = append(args, v, cur.ID)
	}
	dir := ""
	if spec.desc {
		dir = " DESC"
	}
	var page Page
	err = eachRow(ctx, s.db, "SELECT "+summaryColumns+", p.name_key FROM people p WHERE "+where+
		" ORDER BY "+spec.col+dir+", p.id"+dir+" LIMIT ?", append(args, limit+1), func(scan func(...any) error) error {
		var key string
		sm, err := scanSummary(func(dst ...any) error { return scan(append(dst, &key)...) })
		if err != nil {
			return err
		}
		page.People = append(page.People, sm)
		if len(page.People) == limit {
			v := key
			switch q.Sort {
			case SortCreated, SortCreatedDesc:
				v = sm.CreatedAt.UTC().Format(time.RFC3339Nano)
			case SortActive, SortActiveDesc:
				v = sm.LastActiveAt.UTC().Format(time.RFC3339Nano)
			}
			page.Next = encodeCursor(cursorValue{Sort: string(q.Sort), Value: v, ID: sm.ID})
		}
		return nil
	})
	if err != nil {
		return Page{}, coded(err)
	}
	if len(page.People) > limit {
		page.People = page.People[:limit]
	} else {
		page.Next = ""
	}
	return page, nil
}

// summaries reads people by id, for pages built from other tables.
func summaries(ctx context.Context, q db.Queryer, ids []int64) (map[int64]Summary, error) {
	out := map[int64]Summary{}
	if len(ids) == 0 {
		return out, nil
	}
	err := eachRow(ctx, q, "SELECT "+summaryColumns+" FROM people p WHERE p.id IN ("+placeholders(len(ids))+")", anySlice(ids),
		func(scan func(...any) error) error {
			sm, err := scanSummary(scan)
			out[sm.ID] = sm
			return err
		})
	return out, err
}
