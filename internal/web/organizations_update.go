package web

import "net/http"

// organizationsUpdate saves the edit form of an organization. Turning "listed" on records
// the time of the organization's consent to appear in the public directory.
func (s *Server) organizationsUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	form := crmReadOrg(r)
	_, err = s.People.SaveOrganization(r.Context(), actor(r), id, form.Input())
	if fe, status, ok := crmInvalid(err, nil); ok {
		s.renderOrg(w, r, status, &form, fe)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, r.URL.Path, "crm.orgs.flash.saved")
}
