package people_test

import (
	"context"
	"testing"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/people"
	"solidarity/internal/people/peoplegen"
	"solidarity/internal/testkit"
)

// On PostgreSQL a count that reads consents runs with planner settings of its own: its
// answers are the plain query's, more times than PostgreSQL plans a statement for its
// values before it may switch to a generic plan, and the pool's connections come back
// with the server's settings.
func TestPostgresConsentCountSettings(t *testing.T) {
	d := testkit.NewDB(t, db.Postgres)
	ctx := context.Background()
	if _, err := peoplegen.Generate(ctx, d, 400); err != nil {
		t.Fatal(err)
	}
	s := planService(t, d)
	actor := auth.System("test")
	var before [2]string
	show := "SELECT current_setting('plan_cache_mode'), current_setting('max_parallel_workers_per_gather')"
	if err := d.QueryRowContext(ctx, show).Scan(&before[0], &before[1]); err != nil {
		t.Fatal(err)
	}
	email := func(st ...people.ConsentStatus) []people.ConsentRule {
		return []people.ConsentRule{{Channel: people.ChannelEmail, Statuses: st}}
	}
	sms := []people.ConsentRule{{Channel: people.ChannelSMS, Statuses: []people.ConsentStatus{people.ConsentGranted}}}
	for _, f := range []people.Filter{
		{Consent: email(people.ConsentGranted)},
		{Languages: []string{"es"}, Consent: email(people.ConsentGranted)},
		{Languages: []string{"en"}, Consent: email(people.ConsentGranted, people.ConsentPending)},
		{Tags: []string{"volunteer"}, Consent: sms},
		{States: []string{"TX"}, Consent: email(people.ConsentNone)},
	} {
		want, err := people.PlainCount(ctx, d, f, "")
		if err != nil {
			t.Fatal(err)
		}
		for range 8 {
			if got, err := s.Count(ctx, actor, f); err != nil || got != want {
				t.Fatalf("%+v: count = %d, %v; want %d", f, got, err, want)
			}
		}
	}
	for range 3 {
		var after [2]string
		if err := d.QueryRowContext(ctx, show).Scan(&after[0], &after[1]); err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Fatalf("settings after counts = %v, want %v", after, before)
		}
	}
}
