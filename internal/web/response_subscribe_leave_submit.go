package web

import "net/http"

// responseSubscribeLeaveSubmit ends the subscription of a leave link, at once and for
// good, and says so in the subscriber's language. A used or unknown link gets 404.
func (s *Server) responseSubscribeLeaveSubmit(w http.ResponseWriter, r *http.Request) {
	lang, err := s.Response.Leave(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/alerts/left?lang="+lang, http.StatusSeeOther)
}
