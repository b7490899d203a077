package web

import "net/http"

// responseResponderEdit shows a responder's details in the form that changes them.
func (s *Server) responseResponderEdit(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rs, err := s.Response.Responder(r.Context(), actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderResponderForm(w, r, http.StatusOK, responderFormPage{ID: rs.ID, PersonID: rs.PersonID, Name: rs.Name, Form: responderFormOf(rs)})
}
