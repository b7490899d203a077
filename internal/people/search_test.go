package people

import (
	"context"
	"fmt"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

// crowd adds a small, varied group of people and returns them by given name.
func crowd(t *testing.T, h *harness) map[string]Person {
	t.Helper()
	ctx := context.Background()
	org, err := h.s.SaveOrganization(ctx, organizer, 0, OrganizationInput{Name: "Casa del Pueblo", Kind: OrgMember, Region: "TX"})
	if err != nil {
		t.Fatal(err)
	}
	tier, err := h.s.SaveTier(ctx, admin, 0, Tier{NameEn: "Sustainer", NameEs: "Sostenedora", AmountCents: 1000, Period: PeriodMonthly, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Person{}
	for _, in := range []PersonInput{
		{GivenName: "María", FamilyName: "García", Emails: []string{"maria@example.org"}, Phones: []string{"5125550101"}, Address: Address{State: "TX", County: "Travis", ZIP: "78701"}, Language: "es", Tags: []string{"volunteer", "donor"}},
		{GivenName: "Mario", FamilyName: "Gómez", Emails: []string{"mario@example.org"}, Address: Address{State: "TX", ZIP: "78702"}, Language: "es", Tags: []string{"volunteer"}},
		{GivenName: "Martha", FamilyName: "Jones", Emails: []string{"martha@example.net"}, Address: Address{State: "CA", ZIP: "90001"}, Language: "en"},
		{GivenName: "John", FamilyName: "Marshall", Emails: []string{"jm@example.com"}, Address: Address{State: "NY", ZIP: "10001"}, Language: "en", Tags: []string{"donor"}},
		{GivenName: "Ana", FamilyName: "Ruiz", Phones: []string{"+525512345678"}, Address: Address{State: "TX", ZIP: "78701"}, Language: "es"},
	} {
		p := h.mustCreate(t, in)
		out[p.GivenName] = p
	}
	if err := h.s.Affiliate(ctx, organizer, out["Mario"].ID, org.ID, "Coordinator", true); err != nil {
		t.Fatal(err)
	}
	if _, err := h.s.SetMembership(ctx, organizer, out["María"].ID, MembershipInput{TierID: tier.ID, Status: MemberActive}); err != nil {
		t.Fatal(err)
	}
	if err := h.s.SetConsent(ctx, organizer, out["María"].ID, ChannelEmail, ConsentGranted); err != nil {
		t.Fatal(err)
	}
	if err := h.s.SetConsent(ctx, organizer, out["John"].ID, ChannelEmail, ConsentRevoked); err != nil {
		t.Fatal(err)
	}
	return out
}

func names(list []Summary) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.GivenName)
	}
	return out
}

func TestSearch(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		crowd(t, h)
		ctx := context.Background()
		cases := []struct {
			q    string
			want string
		}{
			{"mar", "[María Mario John Martha]"}, // in the order of the matched word: maria, mario, marshall, martha
			{"MARÍA", "[María]"},
			{"maria garc", "[María]"},
			{"gar mar", "[María]"},
			{"ruiz", "[Ana]"},
			{"mario@", "[Mario]"},
			{"MARTHA@EXAMPLE.NET", "[Martha]"},
			{"(512) 555-0101", "[María]"},
			{"+52 55 1234 5678", "[Ana]"},
			{"zzz", "[]"},
			{"'; DROP TABLE people; --", "[]"},
		}
		for _, c := range cases {
			res, err := h.s.Search(ctx, organizer, c.q, 10)
			if err != nil {
				t.Fatalf("Search(%q): %v", c.q, err)
			}
			if got := fmt.Sprint(names(res)); got != c.want {
				t.Errorf("Search(%q) = %s, want %s", c.q, got, c.want)
			}
		}
		_, err := h.s.Search(ctx, responder, "mar", 10)
		wantCode(t, err, errs.CodeForbidden)
	})
}

func TestListFiltersSortsAndPages(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := crowd(t, h)
		ctx := context.Background()
		page, err := h.s.List(ctx, organizer, ListQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(names(page.People)); got != "[María Mario Martha John Ana]" {
			t.Errorf("by name = %s", got) // García, Gómez, Jones, Marshall, Ruiz
		}
		// Walk every sort order two at a time: each person once, in order.
		for _, sort := range []Sort{SortName, SortCreated, SortCreatedDesc, SortActive, SortActiveDesc} {
			var seen []string
			after := ""
			for i := 0; i < 5; i++ {
				p, err := h.s.List(ctx, organizer, ListQuery{Sort: sort, After: after, Limit: 2})
				if err != nil {
					t.Fatalf("%s: %v", sort, err)
				}
				seen = append(seen, names(p.People)...)
				if after = p.Next; after == "" {
					break
				}
			}
			if len(seen) != 5 {
				t.Errorf("sort %s paged to %v, want all 5 once", sort, seen)
			}
		}
		desc, _ := h.s.List(ctx, organizer, ListQuery{Sort: SortCreatedDesc, Limit: 1})
		if desc.People[0].ID != c["Ana"].ID {
			t.Errorf("newest first = %v", names(desc.People))
		}
		filtered, err := h.s.List(ctx, organizer, ListQuery{Filter: Filter{Tags: []string{"Volunteer"}}, Search: "mar"})
		if err != nil || fmt.Sprint(names(filtered.People)) != "[María Mario]" {
			t.Errorf("volunteers named mar… = %v, %v", names(filtered.People), err)
		}
		_, err = h.s.List(ctx, organizer, ListQuery{Sort: "salary"})
		wantField(t, err, "sort", "people.list.sort_invalid")
		_, err = h.s.List(ctx, organizer, ListQuery{After: "garbage!"})
		wantField(t, err, "cursor", "people.cursor.invalid")
		first, _ := h.s.List(ctx, organizer, ListQuery{Limit: 1})
		_, err = h.s.List(ctx, organizer, ListQuery{Sort: SortCreated, After: first.Next})
		wantField(t, err, "cursor", "people.cursor.invalid")
	})
}

func TestSegments(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		c := crowd(t, h)
		ctx := context.Background()
		tiers, _ := h.s.Tiers(ctx, false)
		orgs, _ := h.s.Organizations(ctx, organizer, OrgQuery{})
		today := d.Now().Format("2006-01-02")
		cases := []struct {
			name string
			f    Filter
			want int
		}{
			{"everyone", Filter{}, 5},
			{"any tag", Filter{Tags: []string{"volunteer", "donor"}}, 3},
			{"all tags", Filter{Tags: []string{"volunteer", "DONOR"}, AllTags: true}, 1},
			{"unknown tag", Filter{Tags: []string{"nope"}}, 0},
			{"all tags one unknown", Filter{Tags: []string{"volunteer", "nope"}, AllTags: true}, 0},
			{"exclude", Filter{ExcludeTags: []string{"volunteer"}}, 3},
			{"injection in tag", Filter{Tags: []string{"x') OR 1=1 --"}}, 0},
			{"spanish", Filter{Languages: []string{"Spanish"}}, 3},
			{"texas", Filter{States: []string{"texas"}}, 3},
			{"county", Filter{Counties: []string{"Travis"}}, 1},
			{"zip prefix", Filter{ZIPs: []string{"787"}}, 3},
			{"active members", Filter{MembershipStatuses: []MembershipStatus{MemberActive}}, 1},
			{"tier", Filter{TierIDs: []int64{tiers[0].ID}}, 1},
			{"organization", Filter{OrganizationIDs: []int64{orgs.Organizations[0].ID}}, 1},
			{"email granted", Filter{Consent: []ConsentRule{{Channel: ChannelEmail, Statuses: []ConsentStatus{ConsentGranted}}}}, 1},
			{"email not revoked", Filter{Consent: []ConsentRule{{Channel: ChannelEmail, Statuses: []ConsentStatus{ConsentGranted, ConsentPending, ConsentNone}}}}, 4},
			{"created today", Filter{CreatedFrom: today, CreatedTo: today}, 5},
			{"created before", Filter{CreatedTo: "2000-01-01"}, 0},
			{"active since", Filter{ActiveFrom: today}, 5},
			{"combined", Filter{Languages: []string{"es"}, Tags: []string{"volunteer"}, States: []string{"TX"}}, 2},
		}
		for _, tc := range cases {
			n, err := h.s.Count(ctx, organizer, tc.f)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if n != tc.want {
				t.Errorf("%s: count = %d, want %d", tc.name, n, tc.want)
			}
		}
		bad := []struct {
			f          Filter
			field, key string
		}{
			{Filter{Languages: []string{"xx"}}, "languages", "people.language.invalid"},
			{Filter{MembershipStatuses: []MembershipStatus{"vip"}}, "membership_statuses", "people.membership.status_invalid"},
			{Filter{CreatedFrom: "31/12/2026"}, "created_from", "people.segment.date_invalid"},
			{Filter{Consent: []ConsentRule{{Channel: "fax"}}}, "consent", "people.consent.channel_invalid"},
		}
		for _, b := range bad {
			_, err := h.s.Count(ctx, organizer, b.f)
			wantField(t, err, b.field, b.key)
		}
		sg, err := h.s.SaveSegment(ctx, organizer, 0, "Texas volunteers", Filter{Tags: []string{"volunteer"}, States: []string{"TX"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = h.s.SaveSegment(ctx, organizer, 0, "texas VOLUNTEERS", Filter{})
		wantCode(t, err, errs.CodeConflict)
		if e := errs.As(err); e.Field != "name" || e.Key != "people.segment.name_taken" {
			t.Errorf("duplicate name error = %+v", e)
		}
		got, err := h.s.Segment(ctx, caseworker, sg.ID)
		if err != nil || got.Name != "Texas volunteers" || len(got.Filter.Tags) != 1 {
			t.Errorf("segment = %+v, %v", got, err)
		}
		var ids []int64
		err = h.s.EachContact(ctx, organizer, got.Filter, func(ct Contact) error {
			ids = append(ids, ct.ID)
			if ct.ID == c["María"].ID && ct.EmailConsent != ConsentGranted {
				t.Errorf("María's consent = %q", ct.EmailConsent)
			}
			return nil
		})
		if err != nil || len(ids) != 2 {
			t.Errorf("contacts = %v, %v", ids, err)
		}
		if list, _ := h.s.Segments(ctx, organizer); len(list) != 1 {
			t.Errorf("segments = %v", list)
		}
		if err := h.s.DeleteSegment(ctx, organizer, sg.ID); err != nil {
			t.Fatal(err)
		}
		_, err = h.s.Segment(ctx, organizer, sg.ID)
		wantCode(t, err, errs.CodeNotFound)
	})
}
