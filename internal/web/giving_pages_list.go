package web

import "net/http"

// givingPagesList lists the donation pages with what each raised and whether it is
// published.
func (s *Server) givingPagesList(w http.ResponseWriter, r *http.Request) {
	pages, err := s.Giving.Pages(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "giving_pages_list", "giving.pages.title", givingPagesPage{Pages: pages})
}
