package web

import (
	"net/http"

	"solidarity/internal/people"
)

// organizationsShow shows an organization with its people (contacts first) and, for those
// who may change it, the edit form.
func (s *Server) organizationsShow(w http.ResponseWriter, r *http.Request) {
	s.renderOrg(w, r, http.StatusOK, nil, crmErrors{})
}

// renderOrg renders the path's organization; form holds the values of an edit that was
// refused (nil: the stored ones).
func (s *Server) renderOrg(w http.ResponseWriter, r *http.Request, status int, form *crmOrgForm, fe crmErrors) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, a := r.Context(), actor(r)
	o, err := s.People.Organization(ctx, a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	contacts, err := s.People.OrganizationPeople(ctx, a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := crmOrgPage{Org: o, Contacts: contacts, Form: crmFormOfOrg(o), Errors: fe, Kinds: people.OrgKinds()}
	if form != nil {
		p.Form = *form
	}
	s.render(w, r, status, "crm_organization", "crm.orgs.title", p)
}
