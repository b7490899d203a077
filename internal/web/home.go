package web

import "net/http"

// home is the public front page.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", "home.title", nil)
}

// api hands /api/ to the JSON API, behind the same headers, limits, logs and metrics.
func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	if s.API == nil {
		s.notFound(w, r)
		return
	}
	s.API.ServeHTTP(w, r)
}
