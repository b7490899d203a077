package web

import "net/http"

// peopleUpdate saves the edit form: the whole record is replaced (a field left empty is
// cleared). Invalid input, or an e-mail or phone that belongs to someone else, comes back
// on the form with the reason next to the field.
func (s *Server) peopleUpdate(w http.ResponseWriter, r *http.Request) {
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
	defs, err := s.fieldDefs(ctx, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := crmReadPerson(r, defs)
	_, err = s.People.Update(ctx, a, id, form.Input())
	if fe, status, ok := crmInvalid(err, nil); ok {
		s.renderPersonForm(w, r, status, crmPersonFormPage{ID: id, Name: form.GivenName + " " + form.FamilyName, Form: form, Errors: fe, Defs: defs})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, crmPersonURL(id), "crm.person.flash.saved")
}
