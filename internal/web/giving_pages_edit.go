package web

import "net/http"

// givingPagesEdit shows the form that changes a donation page.
func (s *Server) givingPagesEdit(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.Giving.Page(r.Context(), actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.givingRenderPageForm(w, r, http.StatusOK, givingPagesPage{ID: id, Form: givingFormOfPage(p)})
}
