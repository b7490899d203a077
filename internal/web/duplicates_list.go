package web

import (
	"net/http"
	"net/url"

	"solidarity/internal/people"
)

// crmDuplicatesPage is the data of the duplicates review page.
type crmDuplicatesPage struct {
	Pairs []people.DuplicatePair
	// Sides holds each pair's two people, for showing them side by side.
	Sides [][2]people.Summary
	// Next and First page through the pairs, or are "".
	Next, First string
}

// duplicatesList shows likely duplicates side by side (same or similar name in the same
// ZIP code), each pair with a merge form (choose whom to keep) and a dismiss button.
func (s *Server) duplicatesList(w http.ResponseWriter, r *http.Request) {
	cursor := r.URL.Query().Get("after")
	page, err := s.People.LikelyDuplicates(r.Context(), actor(r), cursor, crmPageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := crmDuplicatesPage{Pairs: page.Pairs}
	for _, pair := range page.Pairs {
		p.Sides = append(p.Sides, [2]people.Summary{pair.A, pair.B})
	}
	if page.Next != "" {
		p.Next = "/people/duplicates?after=" + url.QueryEscape(page.Next)
	}
	if cursor != "" {
		p.First = "/people/duplicates"
	}
	s.render(w, r, http.StatusOK, "crm_duplicates", "crm.duplicates.title", p)
}
