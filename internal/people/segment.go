package people

import (
	"context"
	"strings"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Filter says which people a list, a segment, a message or an export is about. Every
// condition that is set must hold; within one condition any listed value matches (Tags
// with AllTags needs every tag). It is stored as JSON in saved segments.
type Filter struct {
	Tags        []string `json:"tags,omitempty"`
	AllTags     bool     `json:"all_tags,omitempty"`
	ExcludeTags []string `json:"exclude_tags,omitempty"`

	MembershipStatuses []MembershipStatus `json:"membership_statuses,omitempty"`
	TierIDs            []int64            `json:"tier_ids,omitempty"`

	Languages []string `json:"languages,omitempty"`
	States    []string `json:"states,omitempty"`
	Counties  []string `json:"counties,omitempty"`
	// ZIPs holds ZIP codes or their prefixes ("787" is central Texas).
	ZIPs []string `json:"zips,omitempty"`

	OrganizationIDs []int64 `json:"organization_ids,omitempty"`

	Consent []ConsentRule `json:"consent,omitempty"`

	// Dates are YYYY-MM-DD, inclusive, in UTC.
	CreatedFrom string `json:"created_from,omitempty"`
	CreatedTo   string `json:"created_to,omitempty"`
	ActiveFrom  string `json:"active_from,omitempty"`
	ActiveTo    string `json:"active_to,omitempty"`
}

// ConsentRule keeps people whose consent on Channel has one of Statuses; ConsentNone
// stands for "nothing recorded".
type ConsentRule struct {
	Channel  Channel         `json:"channel"`
	Statuses []ConsentStatus `json:"statuses"`
}

// ConsentNone matches people with no consent recorded on a channel, in a ConsentRule.
const ConsentNone ConsentStatus = "none"

// maxFilterValues bounds each list in a filter.
const maxFilterValues = 200

// Validate normalizes the filter in place and reports every problem.
func (f *Filter) Validate() error {
	var l errs.List
	for _, list := range []struct {
		field string
		n     int
	}{{"tags", len(f.Tags)}, {"exclude_tags", len(f.ExcludeTags)}, {"membership_statuses", len(f.MembershipStatuses)},
		{"tier_ids", len(f.TierIDs)}, {"languages", len(f.Languages)}, {"states", len(f.States)}, {"counties", len(f.Counties)},
		{"zips", len(f.ZIPs)}, {"organization_ids", len(f.OrganizationIDs)}, {"consent", len(f.Consent)}} {
		if list.n > maxFilterValues {
			l.Add(list.field, "people.segment.too_many")
		}
	}
	for _, st := range f.MembershipStatuses {
		if !st.valid() {
			l.Add("membership_statuses", "people.membership.status_invalid")
			break
		}
	}
	for i, lang := range f.Languages {
		if f.Languages[i] = NormalizeLanguage(lang); f.Languages[i] == "" {
			l.Add("languages", "people.language.invalid")
			break
		}
	}
	for i := range f.States {
		f.States[i] = normalizeState(f.States[i])
	}
	for i := range f.Counties {
		f.Counties[i], _ = cleanText(f.Counties[i], maxCounty)
	}
	for i := range f.ZIPs {
		z, ok := normalizeZIP(f.ZIPs[i], "XX")
		if !ok || z == "" {
			l.Add("zips", "people.zip.invalid")
			break
		}
		f.ZIPs[i] = z
	}
	for _, c := range f.Consent {
		if !c.Channel.valid() {
			l.Add("consent", "people.consent.channel_invalid")
			break
		}
		for _, st := range c.Statuses {
			if st != ConsentNone && !st.valid() {
				l.Add("consent", "people.consent.status_invalid")
				break
			}
		}
	}
	for _, d := range []struct {
		field string
		v     string
	}{{"created_from", f.CreatedFrom}, {"created_to", f.CreatedTo}, {"active_from", f.ActiveFrom}, {"active_to", f.ActiveTo}} {
		if _, ok := parseDate(d.v); !ok {
			l.Add(d.field, "people.segment.date_invalid")
		}
	}
	return l.Err()
}

// parseDate reads YYYY-MM-DD; "" is valid and means no bound.
func parseDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	return t, err == nil
}

// compile turns a validated filter into conditions (see segment_sql.go). Tag names are
// looked up first, so that the conditions are plain id lists that an index drives.
func compile(ctx context.Context, q db.Queryer, f Filter) (*compiled, error) {
	c := &compiled{}
	if len(f.Tags) > 0 {
		ids, err := tagIDs(ctx, q, f.Tags)
		if err != nil {
			return nil, err
		}
		switch {
		case len(ids) == 0 || (f.AllTags && len(ids) < len(uniqueFolded(f.Tags))):
			c.never = true
		case f.AllTags || len(ids) == 1:
			for _, id := range ids {
				c.addSetOnce("person_tags", "tag_id = ?", false, true, id)
			}
		default:
			c.addSet("person_tags", "tag_id IN ("+placeholders(len(ids))+")", false, anySlice(ids)...)
		}
	}
	if len(f.ExcludeTags) > 0 {
		ids, err := tagIDs(ctx, q, f.ExcludeTags)
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			c.addSet("person_tags", "tag_id IN ("+placeholders(len(ids))+")", true, anySlice(ids)...)
		}
	}
	if len(f.MembershipStatuses) > 0 || len(f.TierIDs) > 0 {
		pred, args := "1=1", []any{}
		if len(f.MembershipStatuses) > 0 {
			pred += " AND status IN (" + placeholders(len(f.MembershipStatuses)) + ")"
			args = append(args, anySlice(f.MembershipStatuses)...)
		}
		if len(f.TierIDs) > 0 {
			pred += " AND tier_id IN (" + placeholders(len(f.TierIDs)) + ")"
			args = append(args, anySlice(f.TierIDs)...)
		}
		c.addSetOnce("memberships", pred, false, true, args...)
		// Tested person by person, a membership is read by its key (the person), never
		// through memberships_status_person, for which SQLite would first build a filter
		// of every member of the status.
		c.conds[len(c.conds)-1].probe = strings.NewReplacer("status IN", "+status IN", "tier_id IN", "+tier_id IN").Replace(pred)
	}
	if len(f.Languages) > 0 {
		c.addColumn("p.language", "p.language IN ("+placeholders(len(f.Languages))+")", anySlice(f.Languages)...)
	}
	if len(f.States) > 0 {
		c.addColumn("p.state", "p.state IN ("+placeholders(len(f.States))+")", anySlice(f.States)...)
	}
	if len(f.Counties) > 0 {
		c.addColumn("p.county", "p.county IN ("+placeholders(len(f.Counties))+")", anySlice(f.Counties)...)
	}
	if len(f.ZIPs) > 0 {
		var or []string
		var args []any
		for _, z := range f.ZIPs {
			or = append(or, "(p.zip >= ? AND p.zip < ?)")
			args = append(args, z, prefixEnd(z))
		}
		c.addColumn("p.zip", "("+strings.Join(or, " OR ")+")", args...)
	}
	if len(f.OrganizationIDs) > 0 {
		c.addSet("affiliations", "organization_id IN ("+placeholders(len(f.OrganizationIDs))+")", false, anySlice(f.OrganizationIDs)...)
	}
	// On SQLite a consent rides on the language and state conditions when there are any:
	// their indexes carry each person's consent (migration 00015), so that the pair is read
	// from one index range. Without either it stays a set read from consents, whose index
	// yields the people of a status in id order: the people row's consent columns lead no
	// index.
	var hosts []int
	for i, k := range c.conds {
		if q.Dialect() == db.SQLite && (k.col == "p.language" || k.col == "p.state") {
			hosts = append(hosts, i)
		}
	}
	for _, r := range f.Consent {
		if len(hosts) == 0 {
			c.addConsent(r)
			continue
		}
		if k, ok := consentColumn(r); ok {
			for _, i := range hosts {
				c.conds[i].with = append(c.conds[i].with, k)
			}
		}
	}
	if len(hosts) > 0 {
		c.args = nil
		for _, k := range c.conds {
			c.args = append(c.args, k.allArgs()...)
		}
	}
	dates := []struct {
		col   string
		v     string
		upper bool
	}{{"p.created_at", f.CreatedFrom, false}, {"p.created_at", f.CreatedTo, true}, {"p.last_active_at", f.ActiveFrom, false}, {"p.last_active_at", f.ActiveTo, true}}
	for _, d := range dates {
		t, _ := parseDate(d.v)
		switch {
		case t.IsZero():
		case d.upper:
			c.addColumn(d.col, d.col+" < ?", t.AddDate(0, 0, 1))
		default:
			c.addColumn(d.col, d.col+" >= ?", t)
		}
	}
	return c, nil
}

// addConsent adds a consent rule: people whose status on the channel is listed. A rule
// that lists "none" becomes its complement (nobody with an unlisted status), so that it
// stays one indexed set.
func (c *compiled) addConsent(r ConsentRule) {
	want := map[ConsentStatus]bool{}
	for _, st := range r.Statuses {
		want[st] = true
	}
	var in, out []any
	for _, st := range []ConsentStatus{ConsentPending, ConsentGranted, ConsentRevoked} {
		if want[st] {
			in = append(in, st)
		} else {
			out = append(out, st)
		}
	}
	switch {
	case want[ConsentNone] && len(out) > 0:
		c.addSet("consents", "channel = ? AND status IN ("+placeholders(len(out))+")", true, append([]any{r.Channel}, out...)...)
	case !want[ConsentNone] && len(in) > 0:
		c.addSetOnce("consents", "channel = ? AND status IN ("+placeholders(len(in))+")", false, true, append([]any{r.Channel}, in...)...)
	}
}

// consentColumn returns a consent rule as a condition on the person's row, whose
// email_consent and sms_consent repeat their consents on SQLite (empty when none is
// recorded: ConsentNone), or false when the rule holds for everyone.
func consentColumn(r ConsentRule) (cond, bool) {
	col := "p.email_consent"
	if r.Channel == ChannelSMS {
		col = "p.sms_consent"
	}
	seen := map[ConsentStatus]bool{}
	var args []any
	for _, st := range r.Statuses {
		if seen[st] {
			continue
		}
		seen[st] = true
		if st == ConsentNone {
			st = ""
		}
		args = append(args, string(st))
	}
	// No status listed keeps everyone, as addConsent does; so do all four.
	if len(args) == 0 || len(args) == 4 {
		return cond{}, false
	}
	return cond{column: col + " IN (" + placeholders(len(args)) + ")", col: col, args: args}, true
}

// tagIDs returns the ids of the named tags that exist.
func tagIDs(ctx context.Context, q db.Queryer, names []string) ([]int64, error) {
	keys := uniqueFolded(names)
	if len(keys) == 0 {
		return nil, nil
	}
	var ids []int64
	err := eachRow(ctx, q, "SELECT id FROM tags WHERE name_key IN ("+placeholders(len(keys))+") ORDER BY id", anySlice(keys),
		func(scan func(...any) error) error {
			var id int64
			err := scan(&id)
			ids = append(ids, id)
			return err
		})
	return ids, err
}

func uniqueFolded(names []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		if k := Fold(n); k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
