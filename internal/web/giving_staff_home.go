package web

import (
	"net/http"

	"solidarity/internal/giving"
)

// givsHomePage is the data of the giving staff home.
type givsHomePage struct {
	givsLabels
	Summary giving.Summary
	Gifts   []giving.GiftRow // the latest, for the shared gift rows
}

// givsHome is the staff home of giving: this month's and this year's totals, monthly
// recurring revenue and its change, the latest gifts, and the way to every giving page.
func (s *Server) givsHome(w http.ResponseWriter, r *http.Request) {
	sm, err := s.Giving.Summary(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "giving_staff_home", "givs.home.title", givsHomePage{Summary: sm, Gifts: sm.Recent})
}
