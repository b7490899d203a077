package web

import (
	"net/http"
	"strconv"
)

// organizationsCreate adds an organization from the form.
func (s *Server) organizationsCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	form := crmReadOrg(r)
	o, err := s.People.SaveOrganization(r.Context(), actor(r), 0, form.Input())
	if fe, status, ok := crmInvalid(err, nil); ok {
		s.renderOrgForm(w, r, status, form, fe)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/organizations/"+strconv.FormatInt(o.ID, 10), "crm.orgs.flash.created")
}
