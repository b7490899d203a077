package web

import (
	"net/http"
	"strconv"
)

// peopleCreate adds a person from the form. When one of the e-mails or phones already
// belongs to someone, the service updates that person instead of adding a second one, and
// the form comes back empty with a notice linking to them.
func (s *Server) peopleCreate(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), actor(r)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	defs, err := s.fieldDefs(ctx, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := crmReadPerson(r, defs)
	res, err := s.People.CreateOrUpdate(ctx, a, form.Input())
	if fe, status, ok := crmInvalid(err, nil); ok {
		s.renderPersonForm(w, r, status, crmPersonFormPage{Form: form, Errors: fe, Defs: defs})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !res.Created {
		s.redirect(w, r, "/people/new?existing="+strconv.FormatInt(res.ID, 10), "")
		return
	}
	s.redirect(w, r, crmPersonURL(res.ID), "crm.person.flash.created")
}
