package web

import (
	"net/http"

	"solidarity/internal/auth"
)

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
	// A staff member signed in (with their second factor) calls the API with their own
	// permissions, which may include the sensitive ones API keys never hold; the
	// cross-origin protection of the middleware guards these calls as it guards forms.
	if a := actor(r); a.Kind == auth.KindAccount {
		r = r.WithContext(auth.WithActor(r.Context(), a))
	}
	s.API.ServeHTTP(w, r)
}
