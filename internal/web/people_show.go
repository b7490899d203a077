package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"solidarity/internal/auth"
	"solidarity/internal/people"
)

// crmTimelinePage is how many timeline entries one page of a person's page shows.
const crmTimelinePage = 25

// crmPersonPage is the data of a person's page.
type crmPersonPage struct {
	Person people.Person
	Fields []crmFieldValue
	// Tier names the membership's tier in the page's language.
	Tier     string
	Consent  []people.Consent // one per channel, Status "" when nothing was recorded
	Timeline people.TimelinePage
	// Older and Newest page through the timeline, or are "".
	Older, Newest string

	// The forms (shown to people.write): their choices, values and errors.
	Tiers           []people.Tier
	Orgs            []people.Organization
	Statuses        []people.MembershipStatus
	ConsentStatuses []people.ConsentStatus
	Member          crmMembershipForm
	Affiliation     crmAffiliationForm
	Errors          crmErrors
}

// crmFieldValue is one custom field of a person, as the page shows it.
type crmFieldValue struct {
	Label, Value string
}

// crmMembershipForm is the membership form as sent, or as stored.
type crmMembershipForm struct {
	Tier, Status, Started, Expires string
}

// crmAffiliationForm is the form that adds a person to an organization.
type crmAffiliationForm struct {
	Org, Role string
	Contact   bool
}

// peopleShow shows a person: details, contacts, address, tags, custom fields, notes,
// affiliations, membership, consent per channel, and their timeline a page at a time
// (?timeline=<cursor> for older entries). Staff who may change people get the forms.
func (s *Server) peopleShow(w http.ResponseWriter, r *http.Request) {
	s.renderPerson(w, r, http.StatusOK, crmPersonPage{})
}

// renderPerson renders the page of the path's person; forms carries the values and errors
// of a form that was refused (or nothing).
func (s *Server) renderPerson(w http.ResponseWriter, r *http.Request, status int, forms crmPersonPage) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.personPage(r.Context(), actor(r), id, r.URL.Query().Get("timeline"), stateOf(r).lang)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if forms.Errors.Any() {
		p.Errors = forms.Errors
		if forms.Member != (crmMembershipForm{}) {
			p.Member = forms.Member
		}
		if forms.Affiliation != (crmAffiliationForm{}) {
			p.Affiliation = forms.Affiliation
		}
	}
	s.render(w, r, status, "crm_person", "crm.person.title", p)
}

func (s *Server) personPage(ctx context.Context, a auth.Actor, id int64, cursor, lang string) (crmPersonPage, error) {
	person, err := s.People.Get(ctx, a, id)
	if err != nil {
		return crmPersonPage{}, err
	}
	p := crmPersonPage{Person: person, Statuses: people.MembershipStatuses(),
		ConsentStatuses: []people.ConsentStatus{people.ConsentGranted, people.ConsentRevoked}}
	for _, ch := range people.Channels() {
		p.Consent = append(p.Consent, person.ConsentFor(ch))
	}
	defs, err := s.People.Fields(ctx, a)
	if err != nil {
		return crmPersonPage{}, err
	}
	for _, d := range defs {
		if v := person.Fields[d.Key]; v != "" {
			p.Fields = append(p.Fields, crmFieldValue{Label: crmLabel(lang, d.LabelEn, d.LabelEs), Value: crmFieldDisplay(d, v, lang)})
		}
	}
	if p.Tiers, err = s.People.Tiers(ctx, false); err != nil {
		return crmPersonPage{}, err
	}
	if m := person.Membership; m != nil {
		p.Member = crmMembershipForm{Tier: strconv.FormatInt(m.TierID, 10), Status: string(m.Status)}
		if m.StartedAt != nil {
			p.Member.Started = m.StartedAt.UTC().Format(adminDateLayout)
		}
		if m.ExpiresAt != nil {
			p.Member.Expires = m.ExpiresAt.UTC().Format(adminDateLayout)
		}
		for _, t := range p.Tiers {
			if t.ID == m.TierID {
				p.Tier = t.Name(lang)
			}
		}
	}
	if a.Can(auth.PermPeopleWrite) {
		orgs, err := s.People.Organizations(ctx, a, people.OrgQuery{Limit: crmMaxOrgChoices})
		if err != nil {
			return crmPersonPage{}, err
		}
		p.Orgs = orgs.Organizations
	}
	if p.Timeline, err = s.People.Timeline(ctx, a, id, cursor, crmTimelinePage); err != nil {
		return crmPersonPage{}, err
	}
	if p.Timeline.Next != "" {
		p.Older = crmPersonURL(id) + "?timeline=" + url.QueryEscape(p.Timeline.Next) + "#timeline"
	}
	if cursor != "" {
		p.Newest = crmPersonURL(id) + "#timeline"
	}
	return p, nil
}

// crmLabel picks the label of the page's language.
func crmLabel(lang, en, es string) string {
	if lang == "es" && es != "" {
		return es
	}
	return en
}

// crmFieldDisplay shows a custom field's value: a choice by its label.
func crmFieldDisplay(d people.FieldDef, v, lang string) string {
	if d.Kind == people.FieldChoice {
		for _, c := range d.Choices {
			if c.Value == v {
				return crmLabel(lang, c.LabelEn, c.LabelEs)
			}
		}
	}
	return v
}
