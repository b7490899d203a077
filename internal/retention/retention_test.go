package retention_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"solidarity/internal/audit"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/i18n"
	"solidarity/internal/jobs"
	"solidarity/internal/retention"
	"solidarity/internal/testkit"
)

var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// notes creates a small table of notes written 1, 10, 40 and 100 days ago (ids 1–4), each
// with a contact field.
func notes(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	ts := "TIMESTAMP"
	if d.Dialect() == db.Postgres {
		ts = "TIMESTAMPTZ"
	}
	if _, err := d.ExecContext(ctx, "CREATE TABLE test_notes (id INTEGER PRIMARY KEY, contact TEXT, created_at "+ts+" NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	for i, age := range []int{1, 10, 40, 100} {
		if _, err := d.ExecContext(ctx, "INSERT INTO test_notes (id, contact, created_at) VALUES (?, ?, ?)",
			i+1, fmt.Sprintf("+1555000%04d", i), now.Add(-time.Duration(age)*day)); err != nil {
			t.Fatal(err)
		}
	}
	d.Clock = func() time.Time { return now }
}

// state returns the ids left in test_notes and the ids that still have a contact.
func state(t *testing.T, d *db.DB) (ids, withContact string) {
	t.Helper()
	rows, err := d.QueryContext(context.Background(), "SELECT id, contact FROM test_notes ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var a, b []string
	for rows.Next() {
		var id int
		var contact *string
		if err := rows.Scan(&id, &contact); err != nil {
			t.Fatal(err)
		}
		a = append(a, fmt.Sprint(id))
		if contact != nil {
			b = append(b, fmt.Sprint(id))
		}
	}
	return strings.Join(a, ","), strings.Join(b, ",")
}

func notesPolicy() retention.Policy {
	return retention.Policy{
		Name: "test.notes", Description: "test.retention.notes", Default: 30 * day,
		Purge: func(ctx context.Context, tx *db.Tx, cutoff time.Time) (int, error) {
			res, err := tx.ExecContext(ctx, "DELETE FROM test_notes WHERE created_at < ?", cutoff)
			if err != nil {
				return 0, err
			}
			n, err := res.RowsAffected()
			return int(n), err
		},
	}
}

func contactPolicy() retention.Policy {
	return retention.Policy{
		Name: "test.contact", Description: "test.retention.contact", Default: 7 * day,
		Purge: func(ctx context.Context, tx *db.Tx, cutoff time.Time) (int, error) {
			res, err := tx.ExecContext(ctx, "UPDATE test_notes SET contact = NULL WHERE contact IS NOT NULL AND created_at < ?", cutoff)
			if err != nil {
				return 0, err
			}
			n, err := res.RowsAffected()
			return int(n), err
		},
	}
}

func status(t *testing.T, s *retention.Service) map[string]retention.PolicyStatus {
	t.Helper()
	list, err := s.Policies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]retention.PolicyStatus{}
	for _, p := range list {
		out[p.Name] = p
	}
	return out
}

func TestRunAllDeletesForReal(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		notes(t, d)
		s := retention.New(d, testkit.Logger())
		s.Register(notesPolicy())
		s.Register(contactPolicy())
		if st := status(t, s)["test.notes"]; st.LastRun != nil || st.After != 30*day || st.Custom {
			t.Errorf("before any run: %+v", st)
		}

		if err := s.RunAll(ctx); err != nil {
			t.Fatalf("RunAll: %v", err)
		}
		ids, withContact := state(t, d)
		if ids != "1,2" || withContact != "1" {
			t.Errorf("after RunAll: notes %q with contact %q; want notes 1,2 and contact only on 1", ids, withContact)
		}

		st := status(t, s)
		for name, want := range map[string]int64{"test.contact": 3, "test.notes": 2, retention.RunsPolicy: 0} {
			r := st[name].LastRun
			if r == nil || r.Count != want || r.Error != "" || !r.Started.Equal(now) {
				t.Errorf("%s last run = %+v, want count %d at %v", name, r, want, now)
			}
		}
		entries, err := audit.List(ctx, d, audit.Filter{Action: "retention.purge"})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, e := range entries {
			if e.Actor != "system" || e.Action != "retention.purge" {
				t.Errorf("audit entry %+v, want actor system and action retention.purge", e.Entry)
			}
			got[e.Object] = e.Detail
		}
		want := map[string]string{"retention:test.contact": "count=3", "retention:test.notes": "count=2", "retention:retention.runs": "count=0"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("audit entries %v, want %v", got, want)
		}
		if n, err := audit.Verify(ctx, d); err != nil || n != 3 {
			t.Errorf("audit Verify = %d, %v", n, err)
		}

		// A second run finds nothing more to delete.
		if err := s.RunAll(ctx); err != nil {
			t.Fatal(err)
		}
		if r := status(t, s)["test.notes"].LastRun; r == nil || r.Count != 0 {
			t.Errorf("second run = %+v, want count 0", r)
		}
	})
}

func TestSet(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		notes(t, d)
		s := retention.New(d, testkit.Logger())
		s.Register(notesPolicy())
		bad := []struct {
			name  string
			after time.Duration
			code  errs.Code
			key   string
		}{
			{"test.unknown", 30 * day, errs.CodeNotFound, "retention.policy.not_found"},
			{"test.notes", 0, errs.CodeInvalid, "retention.after.not_positive"},
			{"test.notes", -day, errs.CodeInvalid, "retention.after.not_positive"},
			{"test.notes", 30 * time.Minute, errs.CodeInvalid, "retention.after.too_short"},
			{"test.notes", 11 * 365 * day, errs.CodeInvalid, "retention.after.too_long"},
			{retention.RunsPolicy, 7 * day, errs.CodeInvalid, "retention.after.too_short"},
		}
		cat, err := i18n.Load()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range bad {
			err := s.Set(ctx, c.name, c.after, "account:1", "Ana")
			if e := errs.As(err); err == nil || e.Code != c.code || e.Key != c.key {
				t.Errorf("Set(%s, %v) = %v, want %s %s", c.name, c.after, err, c.code, c.key)
			}
			for _, l := range i18n.Langs {
				if !cat.Has(l.Code, c.key) {
					t.Errorf("%s has no %s message", c.key, l.Code)
				}
			}
		}
		if d := status(t, s)[retention.RunsPolicy].Description; !cat.Has("en", d) || !cat.Has("es", d) {
			t.Errorf("the run log policy's description %q is not in the catalogs", d)
		}
		if st := status(t, s)["test.notes"]; st.Custom || st.After != 30*day {
			t.Errorf("refused settings changed the policy: %+v", st)
		}

		if err := s.Set(ctx, "test.notes", 5*day, "account:1", "Ana"); err != nil {
			t.Fatalf("Set 5 days: %v", err)
		}
		if st := status(t, s)["test.notes"]; !st.Custom || st.After != 5*day || st.Default != 30*day {
			t.Errorf("after Set: %+v", st)
		}
		if err := s.RunAll(ctx); err != nil {
			t.Fatal(err)
		}
		if ids, _ := state(t, d); ids != "1" {
			t.Errorf("after a 5-day run: notes %q, want only the 1-day-old note", ids)
		}
		entries, err := audit.List(ctx, d, audit.Filter{Action: "retention.set"})
		if err != nil || len(entries) != 1 {
			t.Fatalf("retention.set audit entries: %v, %v", entries, err)
		}
		if e := entries[0]; e.Actor != "account:1" || e.Object != "retention:test.notes" || e.Detail != "after=120h0m0s" {
			t.Errorf("audit entry %+v", e.Entry)
		}
	})
}

func TestFailedPurgeRollsBack(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		notes(t, d)
		s := retention.New(d, testkit.Logger())
		s.Register(contactPolicy())
		s.Register(retention.Policy{
			Name: "test.broken", Description: "test.retention.broken", Default: 2 * day,
			Purge: func(ctx context.Context, tx *db.Tx, cutoff time.Time) (int, error) {
				if _, err := tx.ExecContext(ctx, "DELETE FROM test_notes"); err != nil {
					return 0, err
				}
				return 0, errors.New("disk on fire")
			},
		})
		err := s.RunAll(ctx)
		if err == nil || !strings.Contains(err.Error(), "test.broken") || !strings.Contains(err.Error(), "disk on fire") {
			t.Fatalf("RunAll = %v, want the broken policy's error", err)
		}
		ids, withContact := state(t, d)
		if ids != "1,2,3,4" || withContact != "1" {
			t.Errorf("notes %q with contact %q: the failed purge must roll back, the other policy must still run", ids, withContact)
		}
		r := status(t, s)["test.broken"].LastRun
		if r == nil || r.Count != 0 || !strings.Contains(r.Error, "disk on fire") {
			t.Errorf("failed run logged as %+v", r)
		}
		entries, err := audit.List(ctx, d, audit.Filter{Object: "retention:test.broken"})
		if err != nil || len(entries) != 1 || entries[0].Action != "retention.purge_failed" {
			t.Errorf("audit of the failed run: %+v, %v", entries, err)
		}
	})
}

func TestRegisterRefusesMistakes(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	purge := notesPolicy().Purge
	cases := []struct {
		name string
		p    retention.Policy
	}{
		{"no name", retention.Policy{Default: day, Purge: purge}},
		{"no purge", retention.Policy{Name: "test.x", Default: day}},
		{"no default", retention.Policy{Name: "test.x", Purge: purge}},
		{"default below min", retention.Policy{Name: "test.x", Default: day, Min: 2 * day, Purge: purge}},
		{"default above max", retention.Policy{Name: "test.x", Default: 20 * 365 * day, Purge: purge}},
		{"taken", retention.Policy{Name: retention.RunsPolicy, Default: 400 * day, Purge: purge}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := retention.New(d, testkit.Logger())
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%+v) did not panic", c.p)
				}
			}()
			s.Register(c.p)
		})
	}
}

func TestPeriodicJobRuns(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		notes(t, d)
		s := retention.New(d, testkit.Logger())
		s.Register(notesPolicy())
		q := jobs.New(d, testkit.Logger())
		s.RegisterJobs(q, time.Hour)
		if err := q.Build(); err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(ctx)
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			if r := status(t, s)["test.notes"].LastRun; r != nil {
				if ids, _ := state(t, d); ids != "1,2" || r.Count != 2 {
					t.Errorf("job run: notes %q, run %+v", ids, r)
				}
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatal("the periodic retention job did not run within 20s")
	})
}
