package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/errs"
)

// accountSessionEnd ends one of one's other sessions ("where you are signed in"). The
// session in use is ended by signing out, which also clears this browser's cookie; the list
// offers no button for it, and a request for it here is refused.
func (s *Server) accountSessionEnd(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	me := actor(r)
	if id == me.SessionID {
		s.accountRefused(w, r, errs.Conflict("signin.sessions.current"))
		return
	}
	if err := s.Auth.EndSession(r.Context(), me, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/account", "signin.flash.session_ended")
}
