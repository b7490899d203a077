package web

import "net/http"

// responseResponderCreate adds a responder; invalid input comes back on the form with the
// reason next to each field.
func (s *Server) responseResponderCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := readResponderForm(r)
	rs, err := s.Response.AddResponder(r.Context(), actor(r), f.input())
	if fe, status, ok := crmInvalid(err, nil); ok {
		s.renderResponderForm(w, r, status, responderFormPage{Form: f, Errors: fe})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, responderURL(rs.ID), "response_dispatch.responder.flash.added")
}
