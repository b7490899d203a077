package web

import "net/http"

// logout ends the session of the request, if any, and clears its cookie. Ending no session
// is harmless, so the route is open to anyone.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.SignOut(r.Context(), sessionToken(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.clearSession(w)
	s.redirect(w, r, "/", "signin.flash.signed_out")
}
