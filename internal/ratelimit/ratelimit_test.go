package ratelimit_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/i18n"
	"solidarity/internal/jobs"
	"solidarity/internal/ratelimit"
	"solidarity/internal/testkit"
)

// t0 is 10 seconds into a minute-long window.
var t0 = time.Date(2026, 11, 20, 12, 0, 10, 250_000_000, time.UTC)

func limiter(t testing.TB, d *db.DB) *ratelimit.Limiter {
	t.Helper()
	secret, err := ratelimit.Secret(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return ratelimit.New(d, secret)
}

func TestAllow(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := t0
		d.Clock = func() time.Time { return now }
		l := limiter(t, d)
		steps := []struct {
			name    string
			advance time.Duration
			bucket  string
			subject string
			ok      bool
			retry   time.Duration
		}{
			{"first", 0, "auth.signin", "203.0.113.7", true, 0},
			{"second", time.Second, "auth.signin", "203.0.113.7", true, 0},
			{"third", time.Second, "auth.signin", "203.0.113.7", true, 0},
			{"over the limit", time.Second, "auth.signin", "203.0.113.7", false, 47 * time.Second},
			{"still over", 10 * time.Second, "auth.signin", "203.0.113.7", false, 37 * time.Second},
			{"another subject", 0, "auth.signin", "198.51.100.2", true, 0},
			{"another bucket", 0, "report.submit", "203.0.113.7", true, 0},
			{"next window", 37 * time.Second, "auth.signin", "203.0.113.7", true, 0},
		}
		for _, s := range steps {
			now = now.Add(s.advance)
			ok, retry, err := l.Allow(ctx, s.bucket, s.subject, 3, time.Minute)
			if err != nil || ok != s.ok || retry != s.retry {
				t.Errorf("%s: Allow = %v, %v, %v; want %v, %v", s.name, ok, retry, err, s.ok, s.retry)
			}
		}
	})
}

func TestNodesShareCounts(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		d.Clock = func() time.Time { return t0 }
		a, b := limiter(t, d), limiter(t, d) // two nodes: each loads the shared secret
		for i, l := range []*ratelimit.Limiter{a, b, a, b} {
			ok, _, err := l.Allow(ctx, "petition.sign", "ana@example.org", 3, time.Hour)
			if err != nil || ok != (i < 3) {
				t.Errorf("attempt %d: ok %v, err %v; want ok %v", i+1, ok, err, i < 3)
			}
		}

		// Concurrent attempts never let more than the limit through.
		var allowed atomic.Int32
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				ok, _, err := []*ratelimit.Limiter{a, b}[i%2].Allow(ctx, "report.submit", "198.51.100.9", 10, time.Hour)
				if err != nil {
					t.Errorf("concurrent Allow: %v", err)
				}
				if ok {
					allowed.Add(1)
				}
			})
		}
		wg.Wait()
		if n := allowed.Load(); n != 10 {
			t.Errorf("%d of 20 concurrent attempts allowed, want 10", n)
		}

		rows, err := d.QueryContext(ctx, "SELECT key FROM rate_counts")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		keys := 0
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			keys++
			for _, raw := range []string{"ana", "example.org", "198.51.100.9", "petition", "report"} {
				if strings.Contains(k, raw) {
					t.Errorf("stored key %q contains %q", k, raw)
				}
			}
			if !strings.HasPrefix(k, "3600:") || len(k) != len("3600:")+43 {
				t.Errorf("stored key %q is not window:HMAC", k)
			}
		}
		if keys != 2 {
			t.Errorf("%d keys stored, want 2", keys)
		}
	})
}

func TestAllowRefusesBadArguments(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	l := limiter(t, d)
	cases := []struct {
		bucket string
		limit  int
		window time.Duration
		want   string
	}{
		{"", 3, time.Minute, "no bucket"},
		{"x", 0, time.Minute, "limit 0 is below 1"},
		{"x", 3, 500 * time.Millisecond, "window 500ms"},
		{"x", 3, 1500 * time.Millisecond, "window 1.5s"},
		{"x", 3, 25 * time.Hour, "window 25h0m0s"},
	}
	for _, c := range cases {
		ok, _, err := l.Allow(context.Background(), c.bucket, "s", c.limit, c.window)
		if ok || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Allow(%q, %d, %v) = %v, %v; want refusal %q", c.bucket, c.limit, c.window, ok, err, c.want)
		}
	}
}

func TestPurge(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		d.Clock = func() time.Time { return t0 }
		l := limiter(t, d)
		for _, w := range []time.Duration{time.Minute, time.Hour, ratelimit.MaxWindow} {
			for _, subject := range []string{"a", "b"} {
				if _, _, err := l.Allow(ctx, "auth.signin", subject, 5, w); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Windows: the minute one ends at 12:01, the hour one at 13:00, the day one at
		// midnight.
		steps := []struct {
			at        time.Time
			purged    int64
			remaining int
		}{
			{t0, 0, 6},
			{time.Date(2026, 11, 20, 12, 0, 59, 0, time.UTC), 0, 6},
			{time.Date(2026, 11, 20, 12, 1, 0, 0, time.UTC), 2, 4},
			{time.Date(2026, 11, 20, 13, 0, 0, 0, time.UTC), 2, 2},
			{time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), 2, 0},
		}
		for _, s := range steps {
			n, err := l.Purge(ctx, s.at)
			if err != nil {
				t.Fatal(err)
			}
			var remaining int
			if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM rate_counts").Scan(&remaining); err != nil {
				t.Fatal(err)
			}
			if n != s.purged || remaining != s.remaining {
				t.Errorf("Purge at %v: removed %d, %d left; want %d, %d left", s.at.Format(time.TimeOnly), n, remaining, s.purged, s.remaining)
			}
		}
	})
}

func TestSecretIsSharedAndStable(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		got := make([][]byte, 4)
		for i := range got {
			wg.Go(func() {
				s, err := ratelimit.Secret(ctx, d)
				if err != nil {
					t.Errorf("Secret: %v", err)
				}
				got[i] = s
			})
		}
		wg.Wait()
		for i, s := range got {
			if len(s) != 32 || string(s) != string(got[0]) {
				t.Errorf("node %d got a secret of %d bytes that differs from node 0's", i, len(s))
			}
		}
	})
}

func BenchmarkAllow(b *testing.B) {
	d := testkit.NewDB(b, db.SQLite)
	l := limiter(b, d)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, _, err := l.Allow(ctx, "auth.signin", fmt.Sprintf("198.51.100.%d", i%256), 1000, time.Minute); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func TestPurgeJobRuns(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	ctx := context.Background()
	d.Clock = func() time.Time { return t0 }
	l := limiter(t, d)
	if _, _, err := l.Allow(ctx, "auth.signin", "a", 5, time.Minute); err != nil {
		t.Fatal(err)
	}
	d.Clock = time.Now // t0's window is long over by the real clock
	q := jobs.New(d, testkit.Logger())
	l.RegisterJobs(q, time.Hour)
	if err := q.Build(); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var n int
		if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM rate_counts").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	t.Fatal("the periodic purge job did not empty rate_counts within 20s")
}

func TestWaitMessage(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		wait time.Duration
		want string
	}{
		{0, "Too many attempts. Please wait 1 second and try again."},
		{1500 * time.Millisecond, "Too many attempts. Please wait 2 seconds and try again."},
		{47 * time.Second, "Too many attempts. Please wait 47 seconds and try again."},
		{2 * time.Minute, "Too many attempts. Please wait 2 minutes and try again."},
		{61*time.Minute + time.Second, "Too many attempts. Please wait 62 minutes and try again."},
		{3 * time.Hour, "Too many attempts. Please wait 3 hours and try again."},
	}
	for _, c := range cases {
		key, n := ratelimit.WaitMessage(c.wait)
		if got := cat.Localizer("en").N(key, n); got != c.want {
			t.Errorf("WaitMessage(%v) reads %q, want %q", c.wait, got, c.want)
		}
		if es := cat.Localizer("es").N(key, n); !strings.HasPrefix(es, "Demasiados intentos") {
			t.Errorf("WaitMessage(%v) in Spanish reads %q", c.wait, es)
		}
	}
}

// AllowAll counts against every limit in one go: a form with a per-client and a global
// limit is refused when either is spent, with the longer wait, and counts on both.
func TestAllowAll(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := t0
		d.Clock = func() time.Time { return now }
		l := limiter(t, d)
		client := func(who string) ratelimit.Check {
			return ratelimit.Check{Bucket: "form.client", Subject: who, Limit: 2, Window: time.Minute}
		}
		global := ratelimit.Check{Bucket: "form.global", Subject: "everyone", Limit: 3, Window: time.Hour}
		for i, c := range []struct {
			who  string
			ok   bool
			wait time.Duration
		}{
			{"a", true, 0}, {"a", true, 0}, // a's two
			{"a", false, 50 * time.Second},           // a is over (its window ends in 49.75 s, rounded up); counts on the global too
			{"b", false, time.Hour - 10*time.Second}, // the global is spent: the hour's wait, the longer
		} {
			ok, wait, err := l.AllowAll(ctx, client(c.who), global)
			if err != nil || ok != c.ok || wait != c.wait {
				t.Fatalf("attempt %d by %s = %v, %v, %v; want %v, %v", i+1, c.who, ok, wait, err, c.ok, c.wait)
			}
		}
		if ok, _, err := l.AllowAll(ctx, client("c"), ratelimit.Check{Bucket: "", Limit: 1, Window: time.Second}); ok || err == nil {
			t.Fatalf("a check without a bucket = %v, %v", ok, err)
		}
	})
}
