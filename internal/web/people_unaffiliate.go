package web

import "net/http"

// peopleUnaffiliate removes the person from an organization.
func (s *Server) peopleUnaffiliate(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	org, err := crmPathID(r, "org")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.People.Unaffiliate(r.Context(), actor(r), id, org); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, crmPersonURL(id)+"#person-orgs", "crm.affiliation.flash.removed")
}
