package people_test

import (
	"context"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/people"
	"solidarity/internal/people/peoplegen"
	"solidarity/internal/testkit"
)

// TestCountInPartsAddsUp counts filters of every kind of condition as merges run in one to
// five parts over ranges of ids, and compares each with the plain SQL's count: the parts
// must neither miss nor repeat anyone, with repeats in a set (a person with two of the
// tags), excluded sets, column conditions with a consent riding on them, and ranges that
// hold nobody.
func TestCountInPartsAddsUp(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		if d.Dialect() != db.SQLite {
			t.Skip("merges run in parts on SQLite; PostgreSQL plans its own parallel counts")
		}
		ctx := context.Background()
		if _, err := peoplegen.Generate(ctx, d, 1500); err != nil {
			t.Fatal(err)
		}
		// A gap in the ids: a range of one part may hold nobody.
		if _, err := d.ExecContext(ctx, "DELETE FROM people WHERE id BETWEEN 300 AND 900"); err != nil {
			t.Fatal(err)
		}
		granted := []people.ConsentRule{{Channel: people.ChannelEmail, Statuses: []people.ConsentStatus{people.ConsentGranted}}}
		none := []people.ConsentRule{{Channel: people.ChannelSMS, Statuses: []people.ConsentStatus{people.ConsentNone, people.ConsentRevoked}}}
		lastYear := d.Now().AddDate(-1, 0, 0).Format(time.DateOnly)
		filters := []struct {
			f      people.Filter
			search string
		}{
			{people.Filter{}, ""},
			{people.Filter{Tags: []string{"volunteer"}, Languages: []string{"es"}}, ""},
			{people.Filter{Tags: []string{"volunteer", "donor"}}, ""},
			{people.Filter{Tags: []string{"volunteer", "donor"}, AllTags: true}, ""},
			{people.Filter{Tags: []string{"rapid-response"}, ExcludeTags: []string{"donor"}, Consent: none}, ""},
			{people.Filter{ExcludeTags: []string{"volunteer"}}, ""},
			{people.Filter{Languages: []string{"es"}, Consent: granted}, ""},
			{people.Filter{Tags: []string{"volunteer"}, States: []string{"TX"}, Consent: granted}, ""},
			{people.Filter{States: []string{"TX"}, MembershipStatuses: []people.MembershipStatus{people.MemberActive}}, ""},
			{people.Filter{ZIPs: []string{"787"}, CreatedFrom: lastYear}, ""},
			{people.Filter{Consent: granted, Counties: []string{"Travis"}}, ""},
			{people.Filter{Tags: []string{"no-such-tag"}}, ""},
			{people.Filter{Languages: []string{"es"}}, "mar"},
			{people.Filter{}, "gar"},
		}
		for _, c := range filters {
			want, err := people.PlainCount(ctx, d, c.f, c.search)
			if err != nil {
				t.Fatalf("%+v %q: %v", c.f, c.search, err)
			}
			for parts := 1; parts <= 5; parts++ {
				got, err := people.CountInParts(ctx, d, c.f, c.search, parts)
				if err != nil || got != want {
					t.Errorf("%+v %q in %d parts = %d, %v; want %d", c.f, c.search, parts, got, err, want)
				}
			}
		}
	})
}
