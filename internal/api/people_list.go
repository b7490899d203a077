package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// peoplePage is one page of the people collection, OSDI style.
type peoplePage struct {
	TotalPages   int            `json:"total_pages"`
	PerPage      int            `json:"per_page"`
	Page         int            `json:"page"`
	TotalRecords int            `json:"total_records"`
	Links        any            `json:"_links"`
	Embedded     peopleEmbedded `json:"_embedded"`
}

// peopleEmbedded holds the page's people.
type peopleEmbedded struct {
	People []personResource `json:"osdi:people"`
}

// peopleList serves GET /api/v1/people: people in id order, filtered by ?tag= (any of
// several), ?email= and ?updated_since= (RFC 3339, or a date), with ?per_page= and pages.
// The next link carries an ?after= cursor, so that following it costs the same however
// deep it goes; ?page= alone also works, for clients that count pages.
func (s *Server) peopleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pg, err := pagingOf(q)
	var l errs.List
	l = append(l, errs.Fields(err)...)
	rq := people.RecordQuery{Tags: trimmed(q["tag"]), Email: strings.TrimSpace(q.Get("email")), Limit: pg.PerPage}
	if v := strings.TrimSpace(q.Get("updated_since")); v != "" {
		if rq.UpdatedSince, err = parseSince(v); err != nil {
			l.Add("updated_since", "public.api.date_invalid")
		}
	}
	if v := q.Get("after"); v != "" {
		if rq.After, err = strconv.ParseInt(v, 10, 64); err != nil || rq.After < 0 {
			l.Add("after", "people.cursor.invalid")
		}
	} else {
		rq.Offset = (pg.Page - 1) * pg.PerPage
	}
	if err := l.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.People.Records(r.Context(), auth.ActorFrom(r.Context()), rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := peoplePage{PerPage: pg.PerPage, Page: pg.Page, TotalRecords: res.Total,
		TotalPages: (res.Total + pg.PerPage - 1) / pg.PerPage, Embedded: peopleEmbedded{People: []personResource{}}}
	links := map[string]any{"self": link{Href: selfURL(s.peopleURL(), q)}}
	var items []link
	for _, p := range res.People {
		pr := s.personOf(p)
		out.Embedded.People = append(out.Embedded.People, pr)
		items = append(items, pr.Links["self"])
	}
	links["osdi:people"] = append([]link{}, items...)
	if res.More && len(res.People) > 0 {
		last := res.People[len(res.People)-1].ID
		links["next"] = link{Href: nextURL(s.peopleURL(), q, pg.Page, strconv.FormatInt(last, 10))}
	}
	out.Links = links
	writeJSON(w, http.StatusOK, out)
}

// parseSince reads a time in RFC 3339 form or a date (midnight UTC).
func parseSince(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02", v)
}
