package people_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/i18n"
	"solidarity/internal/jobs"
	"solidarity/internal/people"
	"solidarity/internal/people/peoplegen"
	"solidarity/internal/testkit"
)

// planService builds the CRM on d for the tests of this file.
func planService(t *testing.T, d *db.DB) *people.Service {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := people.New(people.Config{}, people.Deps{DB: d, Jobs: jobs.New(d, testkit.Logger()), Mail: benchMailer{}, Catalog: cat, Log: testkit.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestPlannedCountsAndPagesAgree checks that every plan SQLite may pick for a count or a
// page (starting from the smallest condition, merging sorted id streams, walking an
// index order) gives what the plain SQL gives, on synthetic people, with the thresholds
// of a million people and with thresholds that force the other plans on small data.
func TestPlannedCountsAndPagesAgree(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := peoplegen.Generate(ctx, d, 1500); err != nil {
			t.Fatal(err)
		}
		s := planService(t, d)
		actor := auth.System("test")
		now := d.Now()
		day := func(years int) string { return now.AddDate(years, 0, 0).Format("2006-01-02") }
		email := func(st ...people.ConsentStatus) []people.ConsentRule {
			return []people.ConsentRule{{Channel: people.ChannelEmail, Statuses: st}}
		}
		sms := []people.ConsentRule{{Channel: people.ChannelSMS, Statuses: []people.ConsentStatus{people.ConsentGranted}}}
		cases := []struct {
			f      people.Filter
			search string
		}{
			{people.Filter{}, ""},
			{people.Filter{Tags: []string{"volunteer"}}, ""},
			{people.Filter{Tags: []string{"volunteer", "donor"}}, ""},
			{people.Filter{Tags: []string{"volunteer", "donor"}, AllTags: true}, ""},
			{people.Filter{ExcludeTags: []string{"petition-signer"}}, ""},
			{people.Filter{Languages: []string{"es"}}, ""},
			{people.Filter{Languages: []string{"es"}, Consent: email(people.ConsentGranted)}, ""},
			{people.Filter{Tags: []string{"volunteer"}, States: []string{"TX"}, Consent: email(people.ConsentGranted)}, ""},
			{people.Filter{States: []string{"TX"}, MembershipStatuses: []people.MembershipStatus{people.MemberActive}}, ""},
			{people.Filter{MembershipStatuses: []people.MembershipStatus{people.MemberActive, people.MemberGrace}, TierIDs: []int64{2}}, ""},
			{people.Filter{ZIPs: []string{"787"}, CreatedFrom: day(-1)}, ""},
			{people.Filter{ZIPs: []string{"787", "900"}, Counties: []string{"Travis", "Los Angeles"}}, ""},
			{people.Filter{CreatedFrom: day(-2), CreatedTo: day(-1)}, ""},
			{people.Filter{ActiveFrom: day(-1), Languages: []string{"en"}}, ""},
			{people.Filter{Tags: []string{"rapid-response"}, ExcludeTags: []string{"donor"}, Consent: sms}, ""},
			{people.Filter{Consent: email(people.ConsentGranted, people.ConsentPending, people.ConsentNone)}, ""},
			{people.Filter{OrganizationIDs: []int64{1, 2, 3, 4, 5}, Tags: []string{"petition-signer"}}, ""},
			{people.Filter{}, "mar"},
			{people.Filter{}, "mar gar"},
			{people.Filter{States: []string{"TX"}}, "jo"},
			{people.Filter{Tags: []string{"volunteer"}, Languages: []string{"es"}}, "m"},
		}
		for _, lim := range []struct{ budget, driver int }{{150_000_000, 20000}, {400_000, 40}, {1, 1}} {
			restore := people.SetPlanLimits(lim.budget, lim.driver)
			for i, c := range cases {
				name := fmt.Sprintf("limits %v case %d", lim, i)
				want, err := people.PlainCount(ctx, d, c.f, c.search)
				if err != nil {
					t.Fatalf("%s: plain count: %v", name, err)
				}
				got, err := s.ListCount(ctx, actor, people.ListQuery{Filter: c.f, Search: c.search})
				if err != nil || got != want {
					t.Errorf("%s: list count = %d, %v; want %d", name, got, err, want)
				}
				if c.search == "" {
					if got, err := s.Count(ctx, actor, c.f); err != nil || got != want {
						t.Errorf("%s: count = %d, %v; want %d", name, got, err, want)
					}
				}
				for _, sort := range []people.Sort{people.SortName, people.SortCreatedDesc, people.SortActive} {
					ids := walk(t, s, people.ListQuery{Filter: c.f, Search: c.search, Sort: sort, Limit: 97})
					if len(ids) != want {
						t.Errorf("%s: %s pages hold %d people, want %d", name, sort, len(ids), want)
					}
				}
			}
			restore()
		}
	})
}

// walk reads every page of a list and returns the people's ids, failing on a repeat.
func walk(t *testing.T, s *people.Service, q people.ListQuery) []int64 {
	t.Helper()
	var ids []int64
	seen := map[int64]bool{}
	for pages := 0; pages < 1000; pages++ {
		page, err := s.List(context.Background(), auth.System("test"), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.People {
			if seen[p.ID] {
				t.Fatalf("person %d twice in %+v", p.ID, q)
			}
			seen[p.ID] = true
			ids = append(ids, p.ID)
		}
		if page.Next == "" {
			return ids
		}
		q.After = page.Next
	}
	t.Fatal("no end of the list")
	return nil
}

// TestCountEveryoneStaysExact checks the count of everyone (on SQLite a row that triggers
// keep) through creation, import, merge and deletion.
func TestCountEveryoneStaysExact(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := planService(t, d)
		actor := auth.System("test")
		check := func(when string) {
			t.Helper()
			var want int
			if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM people").Scan(&want); err != nil {
				t.Fatal(err)
			}
			got, err := s.Count(ctx, actor, people.Filter{})
			if err != nil || got != want {
				t.Errorf("%s: count = %d, %v; want %d", when, got, err, want)
			}
			if got, err := s.ListCount(ctx, actor, people.ListQuery{}); err != nil || got != want {
				t.Errorf("%s: list count = %d, %v; want %d", when, got, err, want)
			}
		}
		check("empty")
		if _, err := peoplegen.Generate(ctx, d, 300); err != nil {
			t.Fatal(err)
		}
		check("generated")
		a, err := s.Create(ctx, actor, people.PersonInput{GivenName: "Ana", FamilyName: "Ruiz", Emails: []string{"ana.count@example.org"}})
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Create(ctx, actor, people.PersonInput{GivenName: "Ana", FamilyName: "Ruiz", Emails: []string{"ana.count2@example.org"}})
		if err != nil {
			t.Fatal(err)
		}
		check("created")
		if _, err := s.Merge(ctx, actor, a.ID, b.ID); err != nil {
			t.Fatal(err)
		}
		check("merged")
		if err := s.Delete(ctx, actor, a.ID); err != nil {
			t.Fatal(err)
		}
		check("deleted")
		path := t.TempDir() + "/count.csv"
		writeImportFile(t, path, 120, []string{"ana.count@example.org"}, time.Now().UnixNano())
		if _, err := s.ImportFile(ctx, actor, path, people.ImportOptions{}, nil); err != nil {
			t.Fatal(err)
		}
		check("imported")
		if _, err := s.Create(ctx, actor, people.PersonInput{GivenName: "After", FamilyName: "Import", Emails: []string{"after.import@example.org"}}); err != nil {
			t.Fatalf("create after an import (ids reserved by the import): %v", err)
		}
		check("created after import")
	})
}

// TestRecordsUpdatedSince checks the API's "changed since" pages, few and many changed.
func TestRecordsUpdatedSince(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := peoplegen.Generate(ctx, d, 800); err != nil {
			t.Fatal(err)
		}
		s := planService(t, d)
		actor := auth.System("test")
		for _, lim := range []struct{ budget, driver int }{{150_000_000, 20000}, {1, 1}} {
			restore := people.SetPlanLimits(lim.budget, lim.driver)
			for _, since := range []time.Time{d.Now().AddDate(0, -2, 0), d.Now().AddDate(-3, 0, 0)} {
				var want []int64
				rows, err := d.QueryContext(ctx, "SELECT id FROM people WHERE updated_at >= ? ORDER BY id", since.UTC())
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var id int64
					_ = rows.Scan(&id)
					want = append(want, id)
				}
				rows.Close()
				var got []int64
				q := people.RecordQuery{UpdatedSince: since, Limit: 40}
				for {
					page, err := s.Records(ctx, actor, q)
					if err != nil {
						t.Fatal(err)
					}
					if page.Total != len(want) {
						t.Errorf("since %s: total = %d, want %d", since, page.Total, len(want))
					}
					for _, p := range page.People {
						got = append(got, p.ID)
					}
					if !page.More {
						break
					}
					q.After = got[len(got)-1]
				}
				if !slices.Equal(got, want) {
					t.Errorf("since %s (limits %v): %d records, want %d", since, lim, len(got), len(want))
				}
			}
			restore()
		}
	})
}

// TestConsentCountsMatchConsents checks counts and pages of segments with consent rules
// against the consents table itself, on synthetic people whose consents were then
// rewritten at random (inserted, changed, deleted: on SQLite the people row's copy
// follows through triggers), with every plan.
func TestConsentCountsMatchConsents(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := peoplegen.Generate(ctx, d, 1200); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(4, 2))
		statuses := []people.ConsentStatus{people.ConsentPending, people.ConsentGranted, people.ConsentRevoked}
		for id := 1; id <= 1200; id += 1 + rng.IntN(4) {
			ch := people.Channels()[rng.IntN(2)]
			var err error
			if rng.IntN(4) == 0 {
				_, err = d.ExecContext(ctx, "DELETE FROM consents WHERE person_id = ? AND channel = ?", id, ch)
			} else {
				_, err = d.ExecContext(ctx, `INSERT INTO consents (person_id, channel, status, method, at) VALUES (?, ?, ?, 'staff', ?)
					ON CONFLICT (person_id, channel) DO UPDATE SET status = excluded.status`, id, ch, statuses[rng.IntN(3)], d.Now())
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if d.Dialect() == db.SQLite {
			var drift int
			if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM people p WHERE
				p.email_consent <> COALESCE((SELECT status FROM consents WHERE person_id = p.id AND channel = 'email'), '') OR
				p.sms_consent <> COALESCE((SELECT status FROM consents WHERE person_id = p.id AND channel = 'sms'), '')`).Scan(&drift); err != nil || drift != 0 {
				t.Fatalf("%d people whose consent columns differ from consents (%v)", drift, err)
			}
		}
		s := planService(t, d)
		actor := auth.System("test")
		all := append([]people.ConsentStatus{people.ConsentNone}, statuses...)
		pick := func(from []string) []string {
			var out []string
			for _, v := range from {
				if rng.IntN(3) == 0 {
					out = append(out, v)
				}
			}
			return out
		}
		var filters []people.Filter
		for i := 0; i < 40; i++ {
			f := people.Filter{Languages: pick([]string{"en", "es"}), States: pick([]string{"TX", "CA", "AZ", "NY"}), Tags: pick([]string{"volunteer", "donor"})}
			for _, ch := range people.Channels() {
				if rng.IntN(3) == 0 {
					continue
				}
				var sts []people.ConsentStatus
				for _, st := range all {
					if rng.IntN(2) == 0 {
						sts = append(sts, st)
					}
				}
				f.Consent = append(f.Consent, people.ConsentRule{Channel: ch, Statuses: sts})
			}
			filters = append(filters, f)
		}
		grant := func(ch people.Channel, st ...people.ConsentStatus) []people.ConsentRule {
			return []people.ConsentRule{{Channel: ch, Statuses: st}}
		}
		filters = append(filters,
			people.Filter{Languages: []string{"es"}, Consent: grant(people.ChannelEmail, people.ConsentGranted)},
			people.Filter{Tags: []string{"volunteer"}, States: []string{"TX"}, Consent: grant(people.ChannelEmail, people.ConsentGranted)},
			people.Filter{Languages: []string{"es"}, States: []string{"TX"}, Consent: grant(people.ChannelSMS, people.ConsentNone)},
			people.Filter{Languages: []string{"en"}, Consent: append(grant(people.ChannelEmail, people.ConsentGranted, people.ConsentNone),
				grant(people.ChannelSMS, people.ConsentRevoked)...)},
			people.Filter{States: []string{"CA"}, Consent: grant(people.ChannelEmail, all...)},
			people.Filter{Languages: []string{"es"}, Consent: grant(people.ChannelSMS)},
		)
		for _, lim := range []struct{ budget, driver int }{{150_000_000, 20000}, {400_000, 40}, {1, 1}} {
			restore := people.SetPlanLimits(lim.budget, lim.driver)
			for i, f := range filters {
				where, args := people.ConsentsReference(f)
				var want int
				if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM people p WHERE "+where, args...).Scan(&want); err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("limits %v filter %d %+v", lim, i, f)
				if got, err := s.Count(ctx, actor, f); err != nil || got != want {
					t.Errorf("%s: count = %d, %v; the consents table says %d", name, got, err, want)
				}
				if i%4 == 0 {
					if ids := walk(t, s, people.ListQuery{Filter: f, Sort: people.SortName, Limit: 97}); len(ids) != want {
						t.Errorf("%s: pages hold %d people, want %d", name, len(ids), want)
					}
				}
			}
			restore()
		}
	})
}

// TestConsentCountPlans checks on SQLite that a consent beside a language or a state is
// read from that column's index, with no sort and without consents: Spanish speakers with
// e-mail consent as one range of people_language; volunteers in Texas reachable by e-mail
// as a merge of the tag's ids with one range of people_state, both in id order.
func TestConsentCountPlans(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	ctx := context.Background()
	if _, err := peoplegen.Generate(ctx, d, 3000); err != nil {
		t.Fatal(err)
	}
	email := []people.ConsentRule{{Channel: people.ChannelEmail, Statuses: []people.ConsentStatus{people.ConsentGranted}}}
	cases := []struct {
		f    people.Filter
		want []string // the plan's lines, in order
	}{
		{people.Filter{Languages: []string{"es"}, Consent: email},
			[]string{"SEARCH p USING COVERING INDEX people_language (language=?)"}},
		{people.Filter{Tags: []string{"volunteer"}, States: []string{"TX"}, Consent: email},
			[]string{"MERGE (INTERSECT)", "SEARCH person_tags USING PRIMARY KEY (tag_id=?)", "SEARCH p USING COVERING INDEX people_state (state=?)"}},
		// A language alone keeps its ids in order for the merge.
		{people.Filter{Tags: []string{"volunteer"}, Languages: []string{"es"}},
			[]string{"MERGE (INTERSECT)", "SEARCH person_tags USING PRIMARY KEY (tag_id=?)", "SEARCH p USING COVERING INDEX people_language (language=?)"}},
	}
	restore := people.SetPlanLimits(1, 1) // the plans of a million people
	defer restore()
	for _, c := range cases {
		query, args, err := people.CountQuery(ctx, d, c.f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(query, "consents") {
			t.Errorf("%+v: the count reads consents: %s", c.f, query)
		}
		var plan []string
		rows, err := d.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		if strings.Contains(text, "TEMP B-TREE") {
			t.Errorf("%+v: the count sorts:\n%s", c.f, text)
		}
		at := 0
		for _, line := range plan {
			if at < len(c.want) && line == c.want[at] {
				at++
			}
		}
		if at < len(c.want) {
			t.Errorf("%+v: plan\n%s\nlacks %q", c.f, text, c.want[at])
		}
	}
}
