package web

import (
	"net/http"
	"strings"

	"solidarity/internal/people"
)

// crmOrgForm is the organization form as sent, or as stored.
type crmOrgForm struct {
	Name, Kind, Region, Country, Website string
	SummaryEn, SummaryEs                 string
	Listed                               bool
}

// crmReadOrg reads the organization form of a POST.
func crmReadOrg(r *http.Request) crmOrgForm {
	v := r.PostFormValue
	return crmOrgForm{Name: v("name"), Kind: strings.TrimSpace(v("kind")), Region: v("region"), Country: v("country"),
		Website: v("website"), SummaryEn: v("summary_en"), SummaryEs: v("summary_es"), Listed: v("listed") == "yes"}
}

// crmFormOfOrg fills the form with a stored organization.
func crmFormOfOrg(o people.Organization) crmOrgForm {
	return crmOrgForm{Name: o.Name, Kind: string(o.Kind), Region: o.Region, Country: o.Country, Website: o.Website,
		SummaryEn: o.SummaryEn, SummaryEs: o.SummaryEs, Listed: o.Listed}
}

// Input is the form as the service takes it.
func (f crmOrgForm) Input() people.OrganizationInput {
	return people.OrganizationInput{Name: f.Name, Kind: people.OrgKind(f.Kind), Region: f.Region, Country: f.Country,
		Website: f.Website, SummaryEn: f.SummaryEn, SummaryEs: f.SummaryEs, Listed: f.Listed}
}

// crmOrgPage is the data of an organization's page (ID 0: the new-organization form).
type crmOrgPage struct {
	Org      people.Organization
	Contacts []people.Affiliation
	Form     crmOrgForm
	Errors   crmErrors
	Kinds    []people.OrgKind
}

// renderOrgForm renders the new-organization page.
func (s *Server) renderOrgForm(w http.ResponseWriter, r *http.Request, status int, form crmOrgForm, fe crmErrors) {
	s.render(w, r, status, "crm_organization", "crm.orgs.new_title", crmOrgPage{Form: form, Errors: fe, Kinds: people.OrgKinds()})
}
