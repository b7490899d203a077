package api

import (
	"net/http"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/people"
)

// organizationsPage is one page of the organizations collection.
type organizationsPage struct {
	PerPage  int                   `json:"per_page"`
	Page     int                   `json:"page"`
	Links    map[string]any        `json:"_links"`
	Embedded organizationsEmbedded `json:"_embedded"`
}

// organizationsEmbedded holds the page's organizations.
type organizationsEmbedded struct {
	Organizations []organizationResource `json:"solidarity:organizations"`
}

// organizationsList serves GET /api/v1/organizations: organizations by name, filtered by
// ?search= (a name prefix), ?kind= and ?region=, paged with ?per_page= and the ?after=
// cursor of the next link.
func (s *Server) organizationsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pg, err := pagingOf(q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.People.Organizations(r.Context(), auth.ActorFrom(r.Context()), people.OrgQuery{
		Search: strings.TrimSpace(q.Get("search")), Kind: people.OrgKind(strings.TrimSpace(q.Get("kind"))),
		Region: strings.TrimSpace(q.Get("region")), After: q.Get("after"), Limit: pg.PerPage,
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := organizationsPage{PerPage: pg.PerPage, Page: pg.Page, Embedded: organizationsEmbedded{Organizations: []organizationResource{}}}
	items := []link{}
	for _, o := range res.Organizations {
		or := s.organizationOf(o)
		out.Embedded.Organizations = append(out.Embedded.Organizations, or)
		items = append(items, or.Links["self"])
	}
	out.Links = map[string]any{"self": link{Href: selfURL(s.organizationsURL(), q)}, "solidarity:organizations": items}
	if res.Next != "" {
		out.Links["next"] = link{Href: nextURL(s.organizationsURL(), q, pg.Page, res.Next)}
	}
	writeJSON(w, http.StatusOK, out)
}
