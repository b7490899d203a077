package web

import "net/http"

// joinConfirmedPage is the data of the page after a confirmation.
type joinConfirmedPage struct {
	News       bool   // e-mail news is now confirmed
	Membership string // "active", "dues" (waiting for dues) or ""
}

// joinConfirmed says what a confirmation changed.
func (s *Server) joinConfirmed(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := joinConfirmedPage{News: q.Get("news") == "1"}
	if m := q.Get("membership"); m == "active" || m == "dues" {
		page.Membership = m
	}
	s.render(w, r, http.StatusOK, "public_join_confirmed", "public.confirmed.title", page)
}
