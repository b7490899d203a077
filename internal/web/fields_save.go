package web

import "net/http"

// fieldsSave defines a custom field, or changes the labels, choices and position of the
// one with the same key (editing=yes comes from its edit page). The service refuses keys
// and labels that name immigration status, and audits the change.
func (s *Server) fieldsSave(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	form := crmReadField(r)
	editing := r.PostFormValue("editing") == "yes"
	d, fe := form.Def()
	if fe.Any() {
		s.renderFields(w, r, http.StatusUnprocessableEntity, crmFieldsPage{Editing: editing, Form: form, Errors: fe})
		return
	}
	_, err := s.People.DefineField(r.Context(), actor(r), d)
	if fe, status, ok := crmInvalid(err, nil); ok {
		s.renderFields(w, r, status, crmFieldsPage{Editing: editing, Form: form, Errors: fe})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/fields", "crm.fields.flash.saved")
}
