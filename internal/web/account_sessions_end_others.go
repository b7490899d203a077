package web

import "net/http"

// accountSessionsEndOthers signs one out everywhere except this browser.
func (s *Server) accountSessionsEndOthers(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Auth.EndOtherSessions(r.Context(), actor(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/account", "signin.flash.sessions_ended")
}
