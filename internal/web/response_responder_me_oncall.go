package web

import "net/http"

// responseResponderMeOnCall turns the signed-in responder's own on-call toggle.
func (s *Server) responseResponderMeOnCall(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	on := r.PostFormValue("on_call") == "yes"
	if err := s.Response.SetOwnOnCall(r.Context(), actor(r), on); err != nil {
		s.fail(w, r, err)
		return
	}
	key := "response_dispatch.me.flash.off_call"
	if on {
		key = "response_dispatch.me.flash.on_call"
	}
	s.redirect(w, r, "/response/me", key)
}
