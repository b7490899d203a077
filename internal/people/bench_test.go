package people_test

// Benchmarks at scale. They run on a database of SOLIDARITY_BENCH_PEOPLE synthetic people
// (default 20,000) that is generated once and kept in SOLIDARITY_BENCH_DIR (SQLite; default
// a fresh temporary folder), or in the PostgreSQL database SOLIDARITY_BENCH_POSTGRES when
// set. The figures in the README come from:
//
//	SOLIDARITY_BENCH_PEOPLE=1000000 SOLIDARITY_BENCH_DIR=/tmp/peoplebench \
//	  go test ./internal/people/ -run '^$' -bench . -benchtime 200x -timeout 60m
//
// The import benchmark adds SOLIDARITY_BENCH_IMPORT_ROWS rows (default 50,000) per
// iteration, a tenth of them people already in the database, so the database grows: run
// it on a copy of the database, with a few iterations (-bench ImportCSV -benchtime 3x),
// so that the reads are measured on a million people.
//
// BenchmarkList times one page of the people list; BenchmarkListPage times what the list
// page asks for, the page and the count of everyone matching. The machine's other work
// shows in the figures: report the load average (/proc/loadavg) with them.

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/i18n"
	"solidarity/internal/jobs"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/people/peoplegen"
	"solidarity/internal/testkit"
)

type benchMailer struct{}

func (benchMailer) Email(context.Context, *db.Tx, notify.Email) (int64, error) { return 0, nil }

var (
	benchOnce sync.Once
	benchD    *db.DB
	benchS    *people.Service
	benchErr  error
	sys       = auth.System("bench")
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// bench opens (and fills, the first time) the benchmark database.
func bench(b *testing.B) (*db.DB, *people.Service) {
	b.Helper()
	benchOnce.Do(func() {
		ctx := context.Background()
		opts := db.Options{Dir: os.Getenv("SOLIDARITY_BENCH_DIR"), URL: os.Getenv("SOLIDARITY_BENCH_POSTGRES")}
		if opts.Dir == "" && opts.URL == "" {
			opts.Dir, benchErr = os.MkdirTemp("", "peoplebench")
			if benchErr != nil {
				return
			}
		}
		if benchD, benchErr = db.Open(ctx, opts); benchErr != nil {
			return
		}
		q := jobs.New(benchD, testkit.Logger())
		if benchErr = benchD.Migrate(ctx, testkit.Logger(), q.Migrate); benchErr != nil {
			return
		}
		want := envInt("SOLIDARITY_BENCH_PEOPLE", 20000)
		var have int
		if benchErr = benchD.QueryRowContext(ctx, "SELECT COUNT(*) FROM people").Scan(&have); benchErr != nil {
			return
		}
		if have < want {
			var st peoplegen.Stats
			st, benchErr = peoplegen.Generate(ctx, benchD, want-have)
			fmt.Fprintf(os.Stderr, "generated %d people in %s\n", st.People, st.Took.Round(time.Second))
			if benchErr != nil {
				return
			}
		}
		cat, _ := i18n.Load()
		benchS, benchErr = people.New(people.Config{ImportBatch: envInt("SOLIDARITY_BENCH_IMPORT_BATCH", 0)}, people.Deps{DB: benchD, Jobs: q, Mail: benchMailer{}, Catalog: cat, Log: testkit.Logger()})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchD, benchS
}

// timed runs op b.N times and reports the 50th and 95th percentile in milliseconds.
func timed(b *testing.B, op func(i int) error) {
	b.Helper()
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := time.Now()
		if err := op(i); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(t))
	}
	b.StopTimer()
	slices.Sort(durs)
	pct := func(p float64) float64 { return float64(durs[int(float64(len(durs)-1)*p)].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}

func BenchmarkSearch(b *testing.B) {
	d, s := bench(b)
	ctx := context.Background()
	var emails, phones []string
	rows, err := d.QueryContext(ctx, "SELECT email, phone FROM people WHERE id % 997 = 0 LIMIT 500")
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var e, p string
		_ = rows.Scan(&e, &p)
		emails = append(emails, e)
		if p != "" {
			phones = append(phones, p)
		}
	}
	rows.Close()
	prefixes := []string{"mar", "ma", "gar", "jo", "rodr", "hern", "smith", "ana", "lu", "gonz", "maría gar", "jos her", "p", "wil", "ngu", "carm"}
	cases := []struct {
		name string
		q    func(i int) string
	}{
		{"name-prefix", func(i int) string { return prefixes[i%len(prefixes)] }},
		{"email-exact", func(i int) string { return emails[i%len(emails)] }},
		{"email-prefix", func(i int) string { return emails[i%len(emails)][:6] + "@" }},
		{"phone", func(i int) string { return phones[i%len(phones)] }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			timed(b, func(i int) error {
				res, err := s.Search(ctx, sys, c.q(i), 50)
				if err == nil && len(res) == 0 && c.name != "email-prefix" {
					err = fmt.Errorf("no result for %q", c.q(i))
				}
				return err
			})
		})
	}
}

// listCases are the people list's benchmark queries; deep ones walk on page after page.
var listCases = []struct {
	name string
	q    people.ListQuery
	deep bool
}{
	{"first-page-by-name", people.ListQuery{Limit: 50}, false},
	{"next-pages-by-name", people.ListQuery{Limit: 50}, true},
	{"newest-first", people.ListQuery{Sort: people.SortCreatedDesc, Limit: 50}, true},
	{"volunteers-in-spanish-by-activity", people.ListQuery{Sort: people.SortActiveDesc, Limit: 50,
		Filter: people.Filter{Tags: []string{"volunteer"}, Languages: []string{"es"}}}, true},
	{"texas-members-by-name", people.ListQuery{Limit: 50,
		Filter: people.Filter{States: []string{"TX"}, MembershipStatuses: []people.MembershipStatus{people.MemberActive}}}, true},
	{"search-box-mar", people.ListQuery{Search: "mar", Limit: 50}, true},
}

// BenchmarkList times one page of the people list (List).
func BenchmarkList(b *testing.B) { benchList(b, false) }

// BenchmarkListPage times what the people list page asks for: one page and the count of
// everyone the query matches (List and ListCount, as internal/web/people_list.go).
func BenchmarkListPage(b *testing.B) { benchList(b, true) }

func benchList(b *testing.B, withCount bool) {
	_, s := bench(b)
	ctx := context.Background()
	for _, c := range listCases {
		b.Run(c.name, func(b *testing.B) {
			q := c.q
			timed(b, func(i int) error {
				page, err := s.List(ctx, sys, q)
				if err != nil {
					return err
				}
				if len(page.People) == 0 {
					return fmt.Errorf("empty page")
				}
				if withCount {
					if n, err := s.ListCount(ctx, sys, q); err != nil || n < len(page.People) {
						return fmt.Errorf("count %d for a page of %d: %v", n, len(page.People), err)
					}
				}
				if c.deep && page.Next != "" && i%100 != 99 {
					q.After = page.Next // walk on, back to the start every hundred pages
				} else {
					q.After = ""
				}
				return nil
			})
		})
	}
}

// BenchmarkRecords times the JSON API's people list (Records): pages of whole records in
// id order, with their total.
func BenchmarkRecords(b *testing.B) {
	d, s := bench(b)
	ctx := context.Background()
	var email string
	if err := d.QueryRowContext(ctx, "SELECT email FROM people WHERE id = 4242").Scan(&email); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	cases := []struct {
		name string
		q    people.RecordQuery
	}{
		{"updated-since-yesterday", people.RecordQuery{UpdatedSince: now.AddDate(0, 0, -1), Limit: 25}},
		{"updated-since-last-month", people.RecordQuery{UpdatedSince: now.AddDate(0, -1, 0), Limit: 25}},
		{"updated-since-last-year", people.RecordQuery{UpdatedSince: now.AddDate(-1, 0, 0), Limit: 25}},
		{"tag-volunteer", people.RecordQuery{Tags: []string{"volunteer"}, Limit: 25}},
		{"email", people.RecordQuery{Email: email, Limit: 25}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			q := c.q
			timed(b, func(i int) error {
				page, err := s.Records(ctx, sys, q)
				if err != nil {
					return err
				}
				if len(page.People) == 0 {
					return fmt.Errorf("empty page")
				}
				if page.More && i%100 != 99 {
					q.After = page.People[len(page.People)-1].ID
				} else {
					q.After = 0
				}
				return nil
			})
		})
	}
}

func BenchmarkSegmentCount(b *testing.B) {
	_, s := bench(b)
	ctx := context.Background()
	email := []people.ConsentRule{{Channel: people.ChannelEmail, Statuses: []people.ConsentStatus{people.ConsentGranted}}}
	cases := []struct {
		name string
		f    people.Filter
	}{
		{"everyone", people.Filter{}},
		{"one-tag", people.Filter{Tags: []string{"volunteer"}}},
		{"spanish-with-email-consent", people.Filter{Languages: []string{"es"}, Consent: email}},
		{"volunteers-in-texas-reachable-by-email", people.Filter{Tags: []string{"volunteer"}, States: []string{"TX"}, Consent: email}},
		{"active-members-of-a-tier", people.Filter{MembershipStatuses: []people.MembershipStatus{people.MemberActive}, TierIDs: []int64{2}}},
		{"zip-prefix-joined-last-year", people.Filter{ZIPs: []string{"787"}, CreatedFrom: time.Now().AddDate(-1, 0, 0).Format("2006-01-02")}},
		{"rapid-response-not-donors-sms", people.Filter{Tags: []string{"rapid-response"}, ExcludeTags: []string{"donor"},
			Consent: []people.ConsentRule{{Channel: people.ChannelSMS, Statuses: []people.ConsentStatus{people.ConsentGranted}}}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			timed(b, func(int) error {
				_, err := s.Count(ctx, sys, c.f)
				return err
			})
		})
	}
}

func BenchmarkImportCSV(b *testing.B) {
	d, s := bench(b)
	ctx := context.Background()
	n := envInt("SOLIDARITY_BENCH_IMPORT_ROWS", 50000)
	var existing []string
	rows, err := d.QueryContext(ctx, "SELECT email FROM people WHERE id % 13 = 0 LIMIT ?", n/10)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var e string
		_ = rows.Scan(&e)
		existing = append(existing, e)
	}
	rows.Close()
	dir := b.TempDir()
	b.ResetTimer()
	total := 0
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := filepath.Join(dir, fmt.Sprintf("import%d.csv", i))
		writeImportFile(b, path, n, existing, time.Now().UnixNano())
		b.StartTimer()
		before := cpuTime()
		imp, err := s.ImportFile(ctx, sys, path, people.ImportOptions{Tags: []string{"bench-import"}}, nil)
		if err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - before
		if imp.Rejected > n/50 || imp.Created == 0 {
			b.Fatalf("import = %+v", imp)
		}
		total += imp.RowsDone
	}
	b.StopTimer()
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
	// This process's CPU time per row depends little on what else the machine runs: on
	// SQLite, with a free core, rows/s is at least a million divided by it. (PostgreSQL's
	// own work is in its server's processes, not here.)
	b.ReportMetric(float64(cpu.Microseconds())/float64(total), "cpu-µs/row")
}

// cpuTime is the CPU time the process has used, all threads.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// writeImportFile writes an Action Network style export of n rows: new people, one in ten
// already known by e-mail, and a few bad rows.
func writeImportFile(b testing.TB, path string, n int, existing []string, nonce int64) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := csv.NewWriter(f)
	_ = w.Write([]string{"uuid", "first_name", "last_name", "email", "zip_code", "can2_phone", "can2_sms_status", "can2_subscription_status", "can2_state_abbreviated", "Tags"})
	rng := rand.New(rand.NewPCG(uint64(nonce), 7))
	given := []string{"María", "José", "Ana", "Luis", "James", "Mary", "Guadalupe", "Wei", "Fatima", "Pedro"}
	family := []string{"García", "López", "Smith", "Nguyen", "Hernández Ruiz", "Okafor", "Díaz", "Pérez"}
	states := []string{"TX", "CA", "AZ", "NY", "IL", "FL"}
	for i := 0; i < n; i++ {
		email := fmt.Sprintf("bench%d.%d@example.org", nonce, i)
		if len(existing) > 0 && i%10 == 0 {
			email = existing[(i/10)%len(existing)]
		}
		phone := ""
		if i%3 != 0 {
			phone = fmt.Sprintf("(512) %03d-%04d", 200+rng.IntN(700), rng.IntN(10000))
		}
		if i%1000 == 999 {
			email = "not-an-email"
		}
		_ = w.Write([]string{fmt.Sprintf("b%d-%d", nonce, i), given[rng.IntN(len(given))], family[rng.IntN(len(family))], email,
			fmt.Sprintf("%05d", 10000+rng.IntN(89999)), phone, "subscribed", "subscribed", states[rng.IntN(len(states))], "volunteer"})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		b.Fatal(err)
	}
}
