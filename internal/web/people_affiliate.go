package web

import (
	"net/http"
	"strings"
)

// peopleAffiliate adds the person to an organization with a role (or changes the role).
func (s *Server) peopleAffiliate(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	form := crmAffiliationForm{Org: strings.TrimSpace(r.PostFormValue("org")), Role: r.PostFormValue("role"),
		Contact: r.PostFormValue("contact") == "yes"}
	org := crmID(form.Org)
	if org == 0 {
		s.renderPerson(w, r, http.StatusUnprocessableEntity,
			crmPersonPage{Affiliation: form, Errors: crmFieldError("affiliation_org", "crm.affiliation.org_required")})
		return
	}
	err = s.People.Affiliate(r.Context(), actor(r), id, org, form.Role, form.Contact)
	if fe, status, ok := crmInvalid(err, map[string]string{"role": "affiliation_role"}); ok {
		s.renderPerson(w, r, status, crmPersonPage{Affiliation: form, Errors: fe})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, crmPersonURL(id)+"#person-orgs", "crm.affiliation.flash.saved")
}
