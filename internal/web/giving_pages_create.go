package web

import "net/http"

// givingPagesCreate adds a donation page. The service checks it and audits the change.
func (s *Server) givingPagesCreate(w http.ResponseWriter, r *http.Request) {
	s.givingSavePage(w, r, 0)
}
