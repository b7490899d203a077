package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/config"
	"solidarity/internal/loadtest"
)

// bench measures a real node on loopback and prints a table: cold start to /readyz, then
// each scenario closed-loop (the sustained maximum) and open-loop at a fixed rate, beside a
// bare net/http baseline doing the same database work.
func bench(args []string) error {
	fs := flag.NewFlagSet("solidarity bench", flag.ContinueOnError)
	duration := fs.Duration("duration", 5*time.Second, "length of each run")
	workers := fs.Int("workers", 16, "concurrent clients")
	rate := fs.Float64("rate", 500, "requests per second of the open-loop runs")
	cfg, err := config.Load(fs, args, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return errUsage
	}
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "solidarity-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	where := "SQLite"
	if cfg.DatabaseURL != "" {
		where = "PostgreSQL"
	}
	fmt.Printf("Solidarity bench on %s, %d workers, %s per run, open loop at %.0f req/s\n\n", where, *workers, *duration, *rate)

	if cfg.DatabaseURL == "" {
		cold, err := coldStart(tmp)
		if err != nil {
			return err
		}
		fmt.Printf("cold start to /readyz 200 (median of 5): %.0f ms\n\n", ms(cold))
	}

	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = filepath.Join(tmp, "node")
	cfg.LogLevel = "error"
	// Each simulated visitor of the public forms comes with its own address in
	// X-Forwarded-For, as real visitors reach a node through its reverse proxy.
	cfg.TrustedProxies = "127.0.0.1"
	if err := cfg.Validate(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Log at info into nothing, so that the cost of formatting each request's log line is
	// measured without flooding the terminal.
	a, err := app.Open(ctx, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer a.Close()
	addr, err := a.Listen()
	if err != nil {
		return err
	}
	go a.Run(ctx) //nolint:errcheck
	base := "http://" + addr.String()

	if err := requireNoPeople(ctx, a.DB); err != nil {
		return err
	}
	insert, err := createBenchTable(ctx, a.DB.WritePool(), a.DB.Dialect())
	if err != nil {
		return err
	}
	defer dropBenchTable(a.DB.WritePool())
	bare, err := startBaseline(a.DB.WritePool(), insert)
	if err != nil {
		return err
	}
	defer bare.Close()

	client := loadtest.Client(*workers)
	scenarios := []struct {
		name string
		req  loadtest.Request
	}{
		{"GET / (home page)", loadtest.Get(base + "/")},
		{"GET / bare net/http baseline", loadtest.Get(bare.URL + "/")},
	}
	fmt.Printf("%-36s %s\n", "scenario", "result")
	for _, sc := range scenarios {
		closed := loadtest.Run(ctx, client, sc.req, loadtest.Options{Workers: *workers, Duration: *duration})
		fmt.Printf("%-36s %s  %s\n", sc.name, "max   ", closed)
		open := loadtest.Run(ctx, client, sc.req, loadtest.Options{Workers: *workers, Rate: *rate, Duration: *duration})
		fmt.Printf("%-36s %s  %s\n", "", "steady", open)
		if closed.FirstError != "" || open.FirstError != "" {
			fmt.Printf("%-36s first error: %s %s\n", "", closed.FirstError, open.FirstError)
		}
	}
	return benchJoin(ctx, a, client, base, bare.URL, *workers, *rate, *duration)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// coldStart runs this binary's serve on a fresh folder five times and returns the median
// time from exec to the first 200 from /readyz.
func coldStart(tmp string) (time.Duration, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	addrRe := regexp.MustCompile(`running at (http://[0-9.:]+)`)
	var runs []time.Duration
	for i := range 5 {
		start := time.Now()
		cmd := exec.Command(self, "serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(tmp, fmt.Sprintf("cold%d", i)), "--log-level", "error")
		stderr, err := cmd.StderrPipe()
		if err != nil {
			return 0, err
		}
		if err := cmd.Start(); err != nil {
			return 0, err
		}
		sc := bufio.NewScanner(stderr)
		base := ""
		for sc.Scan() {
			if m := addrRe.FindStringSubmatch(sc.Text()); m != nil {
				base = m[1]
				break
			}
		}
		for base != "" {
			resp, err := http.Get(base + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
			time.Sleep(2 * time.Millisecond)
		}
		runs = append(runs, time.Since(start))
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		if base == "" {
			return 0, errors.New("bench: serve did not start")
		}
	}
	slices.Sort(runs)
	return runs[len(runs)/2], nil
}

// baseline is a bare net/http server on the same database: the floor our stack is
// measured against.
type baseline struct {
	URL string
	srv *http.Server
}

func (b *baseline) Close() { b.srv.Close() }

const baselinePage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home</title></head><body><main><h1>Together we defend our communities</h1></main></body></html>`

// startBaseline serves the home page's baseline (a constant page) and the Join form's
// (one INSERT per POST, with insert, into the bench's table on the node's database).
func startBaseline(write *sql.DB, insert string) (*baseline, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(baselinePage))
	})
	mux.HandleFunc("POST /join", bareJoin(write, insert))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck
	return &baseline{URL: "http://" + ln.Addr().String(), srv: srv}, nil
}
