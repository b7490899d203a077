package response_test

// Benchmarks of intake and the board on a whole node (package response_test, so that it
// may start the app):
//
//	go test ./internal/response/ -run '^$' -bench 'ReportToBoard' -benchtime 200x
//	go test ./internal/response/ -run '^$' -bench 'BoardRender' -benchtime 200x
//
// BenchmarkReportToBoard reports the latency from sending the public report form to each
// of 10 connected boards receiving the event (p50, p90, p99, max); BenchmarkBoardRender the
// time to serve the board with 1,000 open reports (p50, p95). Both run on SQLite, and on
// PostgreSQL too when SOLIDARITY_TEST_POSTGRES is set.

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/config"
	"solidarity/internal/db"
	"solidarity/internal/response"
	"solidarity/internal/testkit"
)

// benchNode opens a node of dialect with an unsealed vault; listen makes it serve on a
// loopback port (behind a "proxy" at 127.0.0.1, so that X-Forwarded-For names clients).
func benchNode(b *testing.B, dialect db.Dialect, listen bool) (*app.App, string) {
	b.Helper()
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.Addr = "127.0.0.1:0"
	cfg.BaseURL = ""
	cfg.TrustedProxies = "127.0.0.1/32"
	cfg.ShutdownTimeout = 5 * time.Second
	if dialect == db.Postgres {
		cfg.DatabaseURL = testkit.FreshSchema(b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg, testkit.Logger())
	if err != nil {
		b.Fatal(err)
	}
	if err := a.Vault.InitEphemeral(ctx); err != nil {
		b.Fatal(err)
	}
	base := ""
	done := make(chan error, 1)
	if listen {
		addr, err := a.Listen()
		if err != nil {
			b.Fatal(err)
		}
		base = "http://" + addr.String()
		a.Config.BaseURL = base
		go func() { done <- a.Run(ctx) }()
	} else {
		close(done)
	}
	b.Cleanup(func() {
		cancel()
		<-done
		a.Close()
	})
	return a, base
}

// benchDispatcher signs in a dispatcher (with TOTP) and returns the session token.
func benchDispatcher(b *testing.B, a *app.App) string {
	b.Helper()
	ctx := context.Background()
	const email, password = "bench-dispatcher@example.org", "river stones carry quiet songs"
	if _, err := a.Auth.AdminCreateUser(ctx, email, "Bench Dispatcher", auth.RoleDispatcher, password); err != nil {
		b.Fatal(err)
	}
	g, err := a.Auth.SignIn(ctx, email, password, auth.Client{Key: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	setup, err := a.Auth.BeginTOTP(ctx, g.Token)
	if err != nil {
		b.Fatal(err)
	}
	code, err := totp.GenerateCode(setup.Secret, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	enrol, err := a.Auth.ConfirmTOTP(ctx, g.Token, code)
	if err != nil || enrol.SignedIn == nil {
		b.Fatalf("enrol: %v", err)
	}
	return enrol.SignedIn.Token
}

// percentile returns the p-th percentile (0–100) of sorted durations, in milliseconds.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return float64(sorted[i].Microseconds()) / 1000
}

// seen is one board's receipt of a report event.
type seen struct {
	board int
	data  string
	at    time.Time
}

// BenchmarkReportToBoard: 10 boards follow /response/events on a running node of each
// database; each iteration sends the public report form once (a new client and ZIP code
// each time) and waits until all 10 boards have the event.
func BenchmarkReportToBoard(b *testing.B) {
	for _, dialect := range testkit.Dialects(b) {
		b.Run(string(dialect), func(b *testing.B) { benchReportToBoard(b, dialect) })
	}
}

func benchReportToBoard(b *testing.B, dialect db.Dialect) {
	const boards = 10
	a, base := benchNode(b, dialect, true)
	token := benchDispatcher(b, a)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := make(chan seen, 1024)
	var ready sync.WaitGroup
	for i := range boards {
		ready.Add(1)
		go func() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/response/events", nil)
			req.Header.Set("Accept", "text/event-stream")
			req.AddCookie(&http.Cookie{Name: "sid", Value: token})
			res, err := http.DefaultClient.Do(req)
			if err != nil || res.StatusCode != http.StatusOK {
				b.Errorf("board %d: %v %v", i, err, res)
				ready.Done()
				return
			}
			defer res.Body.Close()
			sc := bufio.NewScanner(res.Body)
			sc.Scan() // retry:
			ready.Done()
			for sc.Scan() {
				if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
					events <- seen{board: i, data: data, at: time.Now()}
				}
			}
		}()
	}
	ready.Wait()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var latencies []time.Duration
	b.ResetTimer()
	for n := range b.N {
		form := url.Values{"kind": {"home"}, "address": {"1 Bench St"}, "zip": {fmt.Sprintf("%05d", 10000+n)}, "when": {"now"}}
		req, _ := http.NewRequest(http.MethodPost, base+"/report", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255))
		start := time.Now()
		posted := make(chan error, 1)
		go func() {
			res, err := client.Do(req)
			if err == nil {
				res.Body.Close()
				if res.StatusCode != http.StatusSeeOther {
					err = fmt.Errorf("status %d", res.StatusCode)
				}
			}
			posted <- err
		}()
		got := map[int]bool{}
		timeout := time.After(10 * time.Second)
		for len(got) < boards {
			select {
			case e := <-events:
				if !got[e.board] {
					got[e.board] = true
					latencies = append(latencies, e.at.Sub(start))
				}
			case <-timeout:
				b.Fatalf("iteration %d: only %d boards got the event", n, len(got))
			}
		}
		if err := <-posted; err != nil {
			b.Fatalf("post: %v", err)
		}
	}
	b.StopTimer()
	slices.Sort(latencies)
	b.ReportMetric(percentile(latencies, 50), "p50-ms")
	b.ReportMetric(percentile(latencies, 90), "p90-ms")
	b.ReportMetric(percentile(latencies, 99), "p99-ms")
	b.ReportMetric(percentile(latencies, 100), "max-ms")
}

// BenchmarkBoardRender serves the board with 1,000 open reports to a signed-in dispatcher,
// on each database.
func BenchmarkBoardRender(b *testing.B) {
	for _, dialect := range testkit.Dialects(b) {
		b.Run(string(dialect), func(b *testing.B) {
			a, _ := benchNode(b, dialect, false)
			ctx := context.Background()
			sys := auth.System("bench")
			kinds := response.Kinds()
			for i := range 1000 {
				in := response.ReportInput{Kind: kinds[i%len(kinds)], Address: "1 Bench St", ZIP: fmt.Sprintf("%05d", 10000+i),
					Agents: i % 7, Phone: "+1512555" + fmt.Sprintf("%04d", i), Language: "en"}
				if _, err := a.Response.TakeCall(ctx, sys, in); err != nil {
					b.Fatal(err)
				}
			}
			token := benchDispatcher(b, a)
			h := a.Handler()
			var took []time.Duration
			b.ResetTimer()
			for range b.N {
				req := httptest.NewRequest(http.MethodGet, "/response", nil)
				req.AddCookie(&http.Cookie{Name: "sid", Value: token})
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				took = append(took, time.Since(start))
				if rec.Code != http.StatusOK || strings.Count(rec.Body.String(), `<tr id="report-`) != 1000 {
					b.Fatalf("board: %d, %d rows", rec.Code, strings.Count(rec.Body.String(), `<tr id="report-`))
				}
			}
			b.StopTimer()
			slices.Sort(took)
			b.ReportMetric(percentile(took, 50), "p50-ms")
			b.ReportMetric(percentile(took, 95), "p95-ms")
		})
	}
}
