package web

import (
	"net/http"

	"solidarity/internal/errs"
)

// fieldsEdit shows the form that changes a custom field's labels, choices and position.
func (s *Server) fieldsEdit(w http.ResponseWriter, r *http.Request) {
	defs, err := s.People.Fields(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, d := range defs {
		if d.Key == r.PathValue("key") {
			s.renderFields(w, r, http.StatusOK, crmFieldsPage{Editing: true, Form: crmFormOfField(d)})
			return
		}
	}
	s.fail(w, r, errs.NotFound("people.custom.not_found"))
}
