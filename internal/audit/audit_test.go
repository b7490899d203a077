package audit_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"solidarity/internal/audit"
	"solidarity/internal/db"
	"solidarity/internal/i18n"
	"solidarity/internal/testkit"
)

var t0 = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// seed records n entries, one minute apart, and returns them as given.
func seed(t *testing.T, d *db.DB, n int) []audit.Entry {
	t.Helper()
	ctx := context.Background()
	var out []audit.Entry
	for i := 1; i <= n; i++ {
		at := t0.Add(time.Duration(i) * time.Minute)
		d.Clock = func() time.Time { return at }
		e := audit.Entry{
			Actor:     fmt.Sprintf("account:%d", i%2+1),
			ActorName: fmt.Sprintf("Organizer %d", i%2+1),
			Action:    []string{"auth.signin", "report.read_sensitive", "people.export"}[i%3],
			Object:    fmt.Sprintf("report:%d", i),
			Detail:    fmt.Sprintf("n=%d", i),
		}
		if err := audit.RecordNow(ctx, d, e); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		out = append(out, e)
	}
	return out
}

// bypass removes the append-only guard, as an attacker with raw database access would.
func bypass(t *testing.T, d *db.DB) {
	t.Helper()
	stmts := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	if d.Dialect() == db.Postgres {
		stmts = []string{"ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"}
	}
	for _, s := range stmts {
		if _, err := d.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("bypass trigger: %v", err)
		}
	}
}

func TestRecordVerifyList(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if n, err := audit.Verify(ctx, d); err != nil || n != 0 {
			t.Fatalf("empty log: Verify = %d, %v", n, err)
		}
		entries := seed(t, d, 7)
		n, err := audit.Verify(ctx, d)
		if err != nil || n != 7 {
			t.Fatalf("Verify = %d, %v; want 7, nil", n, err)
		}
		all, err := audit.List(ctx, d, audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 7 || all[0].Seq != 7 || all[6].Seq != 1 {
			t.Fatalf("List: %d entries, want 7 newest first", len(all))
		}
		if all[6].PrevHash != audit.GenesisHash || all[0].PrevHash != all[1].Hash {
			t.Errorf("entries are not chained: %+v", all[:2])
		}
		if got := all[0]; got.Entry != entries[6] || !got.At.Equal(t0.Add(7*time.Minute)) {
			t.Errorf("newest entry = %+v at %v, want %+v at %v", got.Entry, got.At, entries[6], t0.Add(7*time.Minute))
		}
		seq, hash, err := audit.Head(ctx, d)
		if err != nil || seq != 7 || hash != all[0].Hash {
			t.Errorf("Head = %d %s %v, want 7 %s", seq, hash, err, all[0].Hash)
		}

		cases := []struct {
			name string
			f    audit.Filter
			want []int64
		}{
			{"actor", audit.Filter{Actor: "account:1"}, []int64{6, 4, 2}},
			{"action prefix", audit.Filter{Action: "report."}, []int64{7, 4, 1}},
			{"exact action", audit.Filter{Action: "auth.signin"}, []int64{6, 3}},
			{"object", audit.Filter{Object: "report:5"}, []int64{5}},
			{"time range", audit.Filter{From: t0.Add(2 * time.Minute), To: t0.Add(4 * time.Minute)}, []int64{3, 2}},
			{"cursor and limit", audit.Filter{Before: 6, Limit: 2}, []int64{5, 4}},
			{"combined", audit.Filter{Actor: "account:2", Action: "people."}, []int64{5}},
			{"nothing", audit.Filter{Actor: "account:99"}, nil},
		}
		for _, c := range cases {
			got, err := audit.List(ctx, d, c.f)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			var seqs []int64
			for _, s := range got {
				seqs = append(seqs, s.Seq)
			}
			if fmt.Sprint(seqs) != fmt.Sprint(c.want) {
				t.Errorf("%s: seqs %v, want %v", c.name, seqs, c.want)
			}
		}
	})
}

func TestAppendOnly(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		seed(t, d, 2)
		stmts := []string{
			"UPDATE audit_log SET detail = 'changed' WHERE seq = 1",
			"DELETE FROM audit_log WHERE seq = 2",
		}
		if d.Dialect() == db.Postgres {
			stmts = append(stmts, "TRUNCATE audit_log")
		}
		for _, stmt := range stmts {
			_, err := d.ExecContext(ctx, stmt)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: error %v, want the append-only refusal", stmt, err)
			}
		}
		if n, err := audit.Verify(ctx, d); err != nil || n != 2 {
			t.Errorf("after refused changes: Verify = %d, %v", n, err)
		}
	})
}

func TestVerifyFindsTampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper []string
		after  bool // record one more entry after tampering, as the live system would
		want   audit.BrokenError
	}{
		{"changed detail", []string{"UPDATE audit_log SET detail = 'count=0' WHERE seq = 3"}, false, audit.BrokenError{Seq: 3, Reason: audit.ReasonAltered}},
		{"changed actor", []string{"UPDATE audit_log SET actor = 'account:99' WHERE seq = 1"}, false, audit.BrokenError{Seq: 1, Reason: audit.ReasonAltered}},
		{"changed time", []string{"UPDATE audit_log SET at = ? WHERE seq = 4"}, false, audit.BrokenError{Seq: 4, Reason: audit.ReasonAltered}},
		{"relinked", []string{"UPDATE audit_log SET prev_hash = hash WHERE seq = 2"}, false, audit.BrokenError{Seq: 2, Reason: audit.ReasonUnlinked}},
		{"deleted middle", []string{"DELETE FROM audit_log WHERE seq = 3"}, false, audit.BrokenError{Seq: 3, Reason: audit.ReasonMissing}},
		{"deleted first", []string{"DELETE FROM audit_log WHERE seq = 1"}, false, audit.BrokenError{Seq: 1, Reason: audit.ReasonMissing}},
		{"deleted last", []string{"DELETE FROM audit_log WHERE seq = 5"}, false, audit.BrokenError{Seq: 5, Reason: audit.ReasonTruncated}},
		{"deleted tail then appended", []string{"DELETE FROM audit_log WHERE seq >= 4"}, true, audit.BrokenError{Seq: 4, Reason: audit.ReasonMissing}},
		{"deleted everything", []string{"DELETE FROM audit_log"}, false, audit.BrokenError{Seq: 1, Reason: audit.ReasonTruncated}},
		{"head removed", []string{"DELETE FROM settings WHERE key = 'audit.head'"}, false, audit.BrokenError{Seq: 5, Reason: audit.ReasonHead}},
		{"head malformed", []string{"UPDATE settings SET value = 'x' WHERE key = 'audit.head'"}, false, audit.BrokenError{Seq: 0, Reason: audit.ReasonHead}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testkit.EachDB(t, func(t *testing.T, d *db.DB) {
				ctx := context.Background()
				seed(t, d, 5)
				bypass(t, d)
				for _, stmt := range c.tamper {
					var args []any
					if strings.Contains(stmt, "?") {
						args = append(args, t0.Add(time.Hour))
					}
					if _, err := d.ExecContext(ctx, stmt, args...); err != nil {
						t.Fatalf("tamper: %v", err)
					}
				}
				if c.after {
					if err := audit.RecordNow(ctx, d, audit.Entry{Actor: "system", Action: "vault.seal"}); err != nil {
						t.Fatalf("record after tampering: %v", err)
					}
				}
				_, err := audit.Verify(ctx, d)
				var broken *audit.BrokenError
				if !errors.As(err, &broken) {
					t.Fatalf("Verify = %v, want a BrokenError", err)
				}
				if *broken != c.want {
					t.Errorf("Verify: %v, want %v", broken, &c.want)
				}
				if !strings.Contains(err.Error(), fmt.Sprintf("entry %d", c.want.Seq)) {
					t.Errorf("message %q does not name entry %d", err, c.want.Seq)
				}
			})
		})
	}
}

func TestRecordRejectsBadEntries(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cases := []struct {
			e    audit.Entry
			want string
		}{
			{audit.Entry{Action: "auth.signin"}, "no actor"},
			{audit.Entry{Actor: "system", Action: "  "}, "no action"},
			{audit.Entry{Actor: "system", Action: "x", Detail: strings.Repeat("a", 2001)}, "detail is 2001 bytes"},
			{audit.Entry{Actor: "system", Action: "x", Object: "report:\xff"}, "object is not valid text"},
			{audit.Entry{Actor: "system", Action: "x", ActorName: "a\x00b"}, "actor name is not valid text"},
		}
		for _, c := range cases {
			err := audit.RecordNow(ctx, d, c.e)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("RecordNow(%+v) = %v, want %q", c.e, err, c.want)
			}
		}
		if n, err := audit.Verify(ctx, d); err != nil || n != 0 {
			t.Errorf("after refused entries: Verify = %d, %v", n, err)
		}
	})
}

func TestRecordRollsBackWithItsTransaction(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		seed(t, d, 1)
		boom := errors.New("boom")
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := audit.Record(ctx, tx, audit.Entry{Actor: "account:1", Action: "people.export"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v", err)
		}
		if n, err := audit.Verify(ctx, d); err != nil || n != 1 {
			t.Errorf("after rollback: Verify = %d, %v; want 1, nil", n, err)
		}
		seed(t, d, 1)
		if n, err := audit.Verify(ctx, d); err != nil || n != 2 {
			t.Errorf("after next append: Verify = %d, %v; want 2, nil", n, err)
		}
	})
}

// Appends from many goroutines (on PostgreSQL: many connections, as several nodes would
// have) still form one gapless chain.
func TestConcurrentAppends(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		const workers, each = 6, 10
		var wg sync.WaitGroup
		errc := make(chan error, workers*each)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					e := audit.Entry{Actor: fmt.Sprintf("account:%d", w), Action: "auth.signin", Detail: fmt.Sprintf("i=%d", i)}
					if err := audit.RecordNow(ctx, d, e); err != nil {
						errc <- err
					}
				}
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Errorf("concurrent append: %v", err)
		}
		if n, err := audit.Verify(ctx, d); err != nil || n != workers*each {
			t.Errorf("Verify = %d, %v; want %d, nil", n, err, workers*each)
		}
	})
}

// Every reason Verify can give has a message for administrators in every language.
func TestReasonsTranslated(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	reasons := []string{audit.ReasonMissing, audit.ReasonUnlinked, audit.ReasonAltered, audit.ReasonTruncated, audit.ReasonHead}
	for _, r := range reasons {
		for _, l := range i18n.Langs {
			if !cat.Has(l.Code, "audit.reason."+r) {
				t.Errorf("audit.reason.%s is missing in %s", r, l.Code)
			}
		}
	}
	if got := cat.Localizer("es").T("audit.verify.broken", map[string]any{"Seq": 3}); !strings.Contains(got, "entrada 3") {
		t.Errorf("audit.verify.broken in Spanish = %q", got)
	}
}
