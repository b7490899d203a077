package web

import "net/http"

// responseResponderUpdate saves the edit form: every detail is replaced (the person stays).
func (s *Server) responseResponderUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := readResponderForm(r)
	rs, err := s.Response.UpdateResponder(r.Context(), actor(r), id, f.input())
	if fe, status, ok := crmInvalid(err, nil); ok {
		page := responderFormPage{ID: id, Form: f, Errors: fe}
		if cur, err := s.Response.Responder(r.Context(), actor(r), id); err == nil {
			page.PersonID, page.Name = cur.PersonID, cur.Name
		}
		s.renderResponderForm(w, r, status, page)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, responderURL(rs.ID), "response_dispatch.responder.flash.saved")
}
