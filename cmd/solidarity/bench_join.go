package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/db"
	"solidarity/internal/loadtest"
	"solidarity/internal/people"
	"solidarity/internal/ratelimit"
	"solidarity/internal/web"
)

// joinClients numbers the simulated visitors of the Join benchmark across all its runs, so
// that each request comes from its own address and e-mail, like real traffic.
type joinClients struct{ n atomic.Int64 }

// request builds one Join POST from a new visitor: its own X-Forwarded-For address (the
// bench node trusts 127.0.0.1 as its proxy) and its own e-mail address.
func (c *joinClients) request(base string) loadtest.Request {
	return func(int) (*http.Request, error) {
		n := c.n.Add(1)
		form := url.Values{"given_name": {"Bench"}, "family_name": {"Visitor " + strconv.FormatInt(n, 10)},
			"email": {"bench" + strconv.FormatInt(n, 10) + "@example.org"}, "zip": {"78701"}, "language": {"en"},
			"tier": {"0"}, "email_opt_in": {"yes"}}
		r, err := http.NewRequest(http.MethodPost, base+"/join", strings.NewReader(form.Encode()))
		if err != nil {
			return nil, err
		}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255))
		return r, nil
	}
}

// benchJoin measures POST /join against the bare baseline and prints their rows and ratio.
//
// The node admits people.JoinGlobalLimit joins a minute from everyone together, which a
// closed loop reaches in well under a second. So the "max" row sends bursts of exactly that
// many requests, clearing the rate-limit counters between bursts: it measures what the
// code path can carry, not what the node will accept in a minute. The "steady" row runs at
// 90% of the limit's rate, as a real spike that stays under it would. A last check sends
// more than the limit and counts the 429 answers.
func benchJoin(ctx context.Context, a *app.App, client *http.Client, base, bareURL string, workers int, rate float64, duration time.Duration) error {
	clients := &joinClients{}
	req := clients.request(base)
	reset := func() error {
		_, err := a.Limiter.Purge(ctx, time.Now().Add(ratelimit.MaxWindow))
		return err
	}
	limitRate := float64(people.JoinGlobalLimit) / people.JoinGlobalWindow.Seconds()

	var bursts burstTotals
	for start := time.Now(); time.Since(start) < duration; {
		if err := reset(); err != nil {
			return err
		}
		bursts.add(runBurst(ctx, client, req, workers, people.JoinGlobalLimit, http.StatusSeeOther))
	}
	joinMax := bursts.result()
	if err := reset(); err != nil {
		return err
	}
	steadyRate := limitRate * 0.9
	joinSteady := loadtest.Run(ctx, client, req, loadtest.Options{Workers: workers, Rate: steadyRate, Duration: duration, Expect: http.StatusSeeOther})

	bareReq := loadtest.PostForm(bareURL+"/join", func(n int) string {
		return url.Values{"given_name": {"Bench"}, "email": {"bare" + strconv.Itoa(n) + "@example.org"}, "zip": {"78701"}}.Encode()
	})
	bareMax := loadtest.Run(ctx, client, bareReq, loadtest.Options{Workers: workers, Duration: duration, Expect: http.StatusSeeOther})
	bareSteady := loadtest.Run(ctx, client, bareReq, loadtest.Options{Workers: workers, Rate: rate, Duration: duration, Expect: http.StatusSeeOther})

	if err := reset(); err != nil {
		return err
	}
	check := burst(ctx, client, req, workers, people.JoinGlobalLimit+50, http.StatusSeeOther)

	row := func(name, kind string, r loadtest.Result) {
		fmt.Printf("%-36s %s  %s\n", name, kind, r)
		if r.FirstError != "" {
			fmt.Printf("%-36s first error: %s\n", "", r.FirstError)
		}
	}
	row("POST /join (public form)", "max   ", joinMax)
	row(fmt.Sprintf("  at %.0f req/s, 90%% of its limit", steadyRate), "steady", joinSteady)
	row("POST /join bare baseline (1 INSERT)", "max   ", bareMax)
	row("", "steady", bareSteady)
	if bareMax.PerSecond() > 0 {
		fmt.Printf("\nPOST /join max is %.1f%% of the bare baseline (%.0f vs %.0f req/s): each join validates, dedupes by e-mail,\n"+
			"writes the person, consent, timeline and confirmation token, queues the confirmation mail, and counts its rate limits;\n"+
			"then every answer is held to an even %s (public_timing.go), so that its time never tells whether the address\n"+
			"was known: with %d workers the max row is that floor, not the work.\n",
			100*joinMax.PerSecond()/bareMax.PerSecond(), joinMax.PerSecond(), bareMax.PerSecond(), web.PublicAnswerFloor, workers)
	}
	fmt.Printf("The node admits %d joins per %s from everyone together (people.JoinGlobalLimit, %.0f/s): the max row is measured in\n"+
		"bursts of %d with the counters cleared between them, i.e. what the code carries, not what the node accepts in a minute;\n"+
		"the steady row runs at 90%% of that limit, each request from its own address (X-Forwarded-For through a trusted proxy).\n",
		people.JoinGlobalLimit, people.JoinGlobalWindow, limitRate, people.JoinGlobalLimit)
	fmt.Printf("Global limit check: %d requests in one window, %d accepted, %d refused (%s).\n",
		check.Sent, check.OK, check.Failed, check.FirstError)
	return nil
}

// burstResult is one burst's measurements.
type burstResult struct {
	sent, ok, failed int
	elapsed          time.Duration
	latencies        []time.Duration
	firstError       string
}

// burst sends exactly n requests with workers clients back to back and measures them as
// one row.
func burst(ctx context.Context, client *http.Client, req loadtest.Request, workers, n int, expect int) loadtest.Result {
	var t burstTotals
	t.add(runBurst(ctx, client, req, workers, n, expect))
	return t.result()
}

// runBurst sends exactly n requests with workers clients back to back.
func runBurst(ctx context.Context, client *http.Client, req loadtest.Request, workers, n int, expect int) burstResult {
	var (
		mu   sync.Mutex
		res  burstResult
		next atomic.Int64
		wg   sync.WaitGroup
	)
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for int(next.Add(1)) <= n && ctx.Err() == nil {
				r, err := req(0)
				began := time.Now()
				if err == nil {
					var resp *http.Response
					if resp, err = client.Do(r.WithContext(ctx)); err == nil {
						_, _ = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != expect {
							err = fmt.Errorf("status %d", resp.StatusCode)
						}
					}
				}
				took := time.Since(began)
				mu.Lock()
				res.sent++
				if err != nil {
					res.failed++
					if res.firstError == "" {
						res.firstError = err.Error()
					}
				} else {
					res.ok++
					res.latencies = append(res.latencies, took)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// burstTotals adds bursts up: their time, counts and latencies.
type burstTotals struct{ all burstResult }

func (t *burstTotals) add(b burstResult) {
	t.all.sent += b.sent
	t.all.ok += b.ok
	t.all.failed += b.failed
	t.all.elapsed += b.elapsed
	t.all.latencies = append(t.all.latencies, b.latencies...)
	if t.all.firstError == "" {
		t.all.firstError = b.firstError
	}
}

// result turns the totals into a loadtest row.
func (t *burstTotals) result() loadtest.Result {
	b := t.all
	r := loadtest.Result{Sent: b.sent, OK: b.ok, Failed: b.failed, Elapsed: b.elapsed, FirstError: b.firstError}
	lat := slices.Clone(b.latencies)
	slices.Sort(lat)
	if n := len(lat); n > 0 {
		r.P50, r.P90, r.P99, r.Max = lat[n*50/100], lat[n*90/100], lat[min(n-1, n*99/100)], lat[n-1]
	}
	return r
}

// benchTable is the baseline's table: one row per form post.
const benchTable = "bench_joins"

// createBenchTable makes the baseline's table in the node's database (the bench runs on a
// fresh one) and returns its INSERT statement, in the dialect's placeholders.
func createBenchTable(ctx context.Context, write *sql.DB, dialect db.Dialect) (string, error) {
	ddl := "CREATE TABLE " + benchTable + " (id INTEGER PRIMARY KEY, given_name TEXT NOT NULL, email TEXT NOT NULL, zip TEXT NOT NULL, created_at TIMESTAMP NOT NULL)"
	insert := "INSERT INTO " + benchTable + " (given_name, email, zip, created_at) VALUES (?, ?, ?, ?)"
	if dialect == db.Postgres {
		ddl = "CREATE TABLE " + benchTable + " (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, given_name TEXT NOT NULL, email TEXT NOT NULL, zip TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL)"
		insert = "INSERT INTO " + benchTable + " (given_name, email, zip, created_at) VALUES ($1, $2, $3, $4)"
	}
	if _, err := write.ExecContext(ctx, ddl); err != nil {
		return "", fmt.Errorf("bench: create %s: %w", benchTable, err)
	}
	return insert, nil
}

// dropBenchTable removes the baseline's table.
func dropBenchTable(write *sql.DB) {
	_, _ = write.Exec("DROP TABLE IF EXISTS " + benchTable)
}

// requireNoPeople refuses to bench a database that already holds people: the benchmark
// signs thousands of invented people up, which must never land in a real network's CRM.
func requireNoPeople(ctx context.Context, d *db.DB) error {
	var n int
	if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM people").Scan(&n); err != nil {
		return fmt.Errorf("bench: count people: %w", err)
	}
	if n > 0 {
		return errors.New("bench: the database already holds people; point --database at a fresh, empty database")
	}
	return nil
}

// bareJoin is the baseline's form handler: parse the form, one INSERT, 303.
func bareJoin(write *sql.DB, insert string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		if _, err := write.ExecContext(r.Context(), insert, r.PostFormValue("given_name"), r.PostFormValue("email"),
			r.PostFormValue("zip"), time.Now().UTC()); err != nil {
			http.Error(w, "insert failed", http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, "/join/thanks", http.StatusSeeOther)
	}
}
