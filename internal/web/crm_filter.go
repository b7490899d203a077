package web

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/people"
)

// crmFilterForm is the people filter as the list, the segment builder and the export
// send it (query or form values), echoed back into their forms. The list's selects send
// one value per condition; the segment builder's checkboxes may send several.
type crmFilterForm struct {
	Tags        string // typed, separated by commas
	AllTags     bool
	ExcludeTags string
	Statuses    []string
	Tiers       []string
	Langs       []string
	States      string
	Counties    string
	ZIPs        string
	Orgs        []string
	Consent     []string // "channel:status"
	CreatedFrom string
	CreatedTo   string
	ActiveFrom  string
	ActiveTo    string
}

// crmFilterFields maps the service's filter field names to the form's inputs.
var crmFilterFields = map[string]string{
	"tags": "tags", "exclude_tags": "exclude_tags", "membership_statuses": "status", "tier_ids": "tier",
	"languages": "language", "states": "state", "counties": "county", "zips": "zip", "organization_ids": "org",
	"consent": "consent", "created_from": "created_from", "created_to": "created_to",
	"active_from": "active_from", "active_to": "active_to",
}

// crmReadFilter reads the filter inputs of v.
func crmReadFilter(v url.Values) crmFilterForm {
	vals := func(k string) []string {
		var out []string
		for _, s := range v[k] {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		return out
	}
	one := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return crmFilterForm{
		Tags: one("tags"), AllTags: v.Get("all_tags") == "yes", ExcludeTags: one("exclude_tags"),
		Statuses: vals("status"), Tiers: vals("tier"), Langs: vals("language"), States: one("state"), Counties: one("county"), ZIPs: one("zip"),
		Orgs: vals("org"), Consent: vals("consent"),
		CreatedFrom: one("created_from"), CreatedTo: one("created_to"), ActiveFrom: one("active_from"), ActiveTo: one("active_to"),
	}
}

// Filter turns the form into the service's filter; the service validates it. Tier and
// organization values that are not ids, and consent values that are not
// "channel:status", are kept as invalid values so that the service refuses them.
func (f crmFilterForm) Filter() people.Filter {
	out := people.Filter{
		Tags: crmSplit(f.Tags, crmListSeps), AllTags: f.AllTags, ExcludeTags: crmSplit(f.ExcludeTags, crmListSeps),
		Languages: f.Langs, States: crmSplit(f.States, crmListSeps+" "), Counties: crmSplit(f.Counties, crmListSeps), ZIPs: crmSplit(f.ZIPs, crmListSeps+" "),
		CreatedFrom: f.CreatedFrom, CreatedTo: f.CreatedTo, ActiveFrom: f.ActiveFrom, ActiveTo: f.ActiveTo,
	}
	for _, s := range f.Statuses {
		out.MembershipStatuses = append(out.MembershipStatuses, people.MembershipStatus(s))
	}
	for _, s := range f.Tiers {
		out.TierIDs = append(out.TierIDs, crmID(s))
	}
	for _, s := range f.Orgs {
		out.OrganizationIDs = append(out.OrganizationIDs, crmID(s))
	}
	byChannel := map[people.Channel]int{}
	for _, c := range f.Consent {
		ch, st, _ := strings.Cut(c, ":")
		i, ok := byChannel[people.Channel(ch)]
		if !ok {
			i = len(out.Consent)
			byChannel[people.Channel(ch)] = i
			out.Consent = append(out.Consent, people.ConsentRule{Channel: people.Channel(ch)})
		}
		out.Consent[i].Statuses = append(out.Consent[i].Statuses, people.ConsentStatus(st))
	}
	return out
}

// crmFormOf is the form that shows a saved filter (a segment's) in the builder.
func crmFormOf(f people.Filter) crmFilterForm {
	out := crmFilterForm{
		Tags: strings.Join(f.Tags, ", "), AllTags: f.AllTags, ExcludeTags: strings.Join(f.ExcludeTags, ", "),
		Langs: f.Languages, States: strings.Join(f.States, ", "), Counties: strings.Join(f.Counties, ", "), ZIPs: strings.Join(f.ZIPs, ", "),
		CreatedFrom: f.CreatedFrom, CreatedTo: f.CreatedTo, ActiveFrom: f.ActiveFrom, ActiveTo: f.ActiveTo,
	}
	for _, s := range f.MembershipStatuses {
		out.Statuses = append(out.Statuses, string(s))
	}
	for _, id := range f.TierIDs {
		out.Tiers = append(out.Tiers, strconv.FormatInt(id, 10))
	}
	for _, id := range f.OrganizationIDs {
		out.Orgs = append(out.Orgs, strconv.FormatInt(id, 10))
	}
	for _, c := range f.Consent {
		for _, st := range c.Statuses {
			out.Consent = append(out.Consent, string(c.Channel)+":"+string(st))
		}
	}
	return out
}

// Values writes the form back as query values, for links that keep the filter (pages,
// the segment builder, the export).
func (f crmFilterForm) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("tags", f.Tags)
	if f.AllTags {
		v.Set("all_tags", "yes")
	}
	set("exclude_tags", f.ExcludeTags)
	v["status"], v["tier"], v["language"], v["org"], v["consent"] = f.Statuses, f.Tiers, f.Langs, f.Orgs, f.Consent
	set("state", f.States)
	set("county", f.Counties)
	set("zip", f.ZIPs)
	set("created_from", f.CreatedFrom)
	set("created_to", f.CreatedTo)
	set("active_from", f.ActiveFrom)
	set("active_to", f.ActiveTo)
	for k, vals := range v {
		if len(vals) == 0 {
			delete(v, k)
		}
	}
	return v
}

// Query is Values encoded, with no leading "?".
func (f crmFilterForm) Query() string { return f.Values().Encode() }

// Empty reports whether no condition is set.
func (f crmFilterForm) Empty() bool { return len(f.Values()) == 0 }

// Has reports whether the multi-valued input name holds value, for checked and selected.
func (f crmFilterForm) Has(name, value string) bool {
	switch name {
	case "status":
		return slices.Contains(f.Statuses, value)
	case "tier":
		return slices.Contains(f.Tiers, value)
	case "language":
		return slices.Contains(f.Langs, value)
	case "org":
		return slices.Contains(f.Orgs, value)
	case "consent":
		return slices.Contains(f.Consent, value)
	}
	return false
}

// First returns the first value of a multi-valued input, for the list's single selects.
func (f crmFilterForm) First(name string) string {
	var list []string
	switch name {
	case "status":
		list = f.Statuses
	case "tier":
		list = f.Tiers
	case "language":
		list = f.Langs
	case "org":
		list = f.Orgs
	case "consent":
		list = f.Consent
	}
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

// crmConsentOption is one "channel: status" choice of the consent filter.
type crmConsentOption struct {
	Value   string
	Channel people.Channel
	Status  people.ConsentStatus
}

// crmFilterOptions are the choices the filter inputs offer.
type crmFilterOptions struct {
	Statuses []people.MembershipStatus
	Tiers    []people.Tier
	Langs    []string
	Orgs     []people.Organization
	Consent  []crmConsentOption
	Sorts    []people.Sort
}

// crmMaxOrgChoices bounds the organizations a filter's list offers.
const crmMaxOrgChoices = people.MaxPageSize

// filterOptions reads the tiers and organizations the filter inputs offer.
func (s *Server) filterOptions(ctx context.Context, a auth.Actor) (crmFilterOptions, error) {
	o := crmFilterOptions{
		Statuses: people.MembershipStatuses(), Langs: []string{"en", "es"},
		Sorts: []people.Sort{people.SortName, people.SortCreatedDesc, people.SortCreated, people.SortActiveDesc, people.SortActive},
	}
	for _, ch := range people.Channels() {
		for _, st := range []people.ConsentStatus{people.ConsentGranted, people.ConsentPending, people.ConsentRevoked, people.ConsentNone} {
			o.Consent = append(o.Consent, crmConsentOption{Value: string(ch) + ":" + string(st), Channel: ch, Status: st})
		}
	}
	var err error
	if o.Tiers, err = s.People.Tiers(ctx, false); err != nil {
		return o, err
	}
	orgs, err := s.People.Organizations(ctx, a, people.OrgQuery{Limit: crmMaxOrgChoices})
	if err != nil {
		return o, err
	}
	o.Orgs = orgs.Organizations
	return o, nil
}

// crmDateFields are the date inputs of the segment builder, in order.
var crmDateFields = []string{"created_from", "created_to", "active_from", "active_to"}

// Dates lists the date inputs with their values, for the builder's template.
func (f crmFilterForm) Dates() []crmDateInput {
	vals := []string{f.CreatedFrom, f.CreatedTo, f.ActiveFrom, f.ActiveTo}
	out := make([]crmDateInput, len(crmDateFields))
	for i, name := range crmDateFields {
		out[i] = crmDateInput{Name: name, Value: vals[i]}
	}
	return out
}

// crmDateInput is one date input of the builder.
type crmDateInput struct{ Name, Value string }
