package web

import "net/http"

// responderRemovePage is the data of the page that asks before removing a responder.
type responderRemovePage struct {
	ID   int64
	Name string
}

// responseResponderRemove takes a person off the responders, after a confirmation page.
func (s *Server) responseResponderRemove(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, a := r.Context(), actor(r)
	if !adminConfirmed(r) {
		rs, err := s.Response.Responder(ctx, a, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "response_responder_remove", "response_dispatch.responder.remove_heading", responderRemovePage{ID: id, Name: rs.Name})
		return
	}
	if err := s.Response.RemoveResponder(ctx, a, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/response/responders", "response_dispatch.responder.flash.removed")
}
