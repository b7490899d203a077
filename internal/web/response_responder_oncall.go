package web

import "net/http"

// responseResponderOnCall turns a responder's on-call toggle from the list.
func (s *Server) responseResponderOnCall(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	on := r.PostFormValue("on_call") == "yes"
	if err := s.Response.SetResponderOnCall(r.Context(), actor(r), id, on); err != nil {
		s.fail(w, r, err)
		return
	}
	key := "response_dispatch.responder.flash.off_call"
	if on {
		key = "response_dispatch.responder.flash.on_call"
	}
	s.redirect(w, r, "/response/responders", key)
}
