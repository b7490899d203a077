package e2e

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/config"
	"solidarity/internal/db"
	"solidarity/internal/testkit"
)

// startNode starts a whole app node on a fresh database of the dialect (an SQLite file in a
// temporary folder, or a fresh PostgreSQL schema), listening on a free loopback port, and
// returns its base URL once /readyz answers 200. mutate, when not nil, changes the
// configuration before the node opens; a DatabaseURL it sets (another node's, say) is kept
// instead of a fresh schema, and a BaseURL it sets is kept instead of the listening
// address. The node drains and closes when the test ends.
func startNode(t *testing.T, dialect db.Dialect, mutate func(*config.Config)) (string, *app.App) {
	t.Helper()
	cfg := config.Default()
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	cfg.BaseURL = ""
	cfg.ShutdownTimeout = 5 * time.Second
	if mutate != nil {
		mutate(&cfg)
	}
	switch {
	case dialect == db.Postgres && cfg.DatabaseURL == "":
		cfg.DatabaseURL = testkit.FreshSchema(t)
	case dialect == db.SQLite && cfg.DatabaseURL != "":
		t.Fatalf("startNode: an SQLite node was given a DatabaseURL")
	}
	fixedBase := cfg.BaseURL != ""

	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg, testkit.Logger())
	if err != nil {
		cancel()
		t.Fatalf("open %s node: %v", dialect, err)
	}
	addr, err := a.Listen()
	if err != nil {
		cancel()
		a.Close()
		t.Fatalf("listen: %v", err)
	}
	baseURL := "http://" + addr.String()
	// Open's Validate derived BaseURL from the ":0" address; the web server reads the
	// node's Config through a pointer, so the real address is set before it serves.
	a.Config.Addr = addr.String()
	if !fixedBase {
		a.Config.BaseURL = baseURL
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s node stopped with an error: %v", dialect, err)
			}
		case <-time.After(cfg.ShutdownTimeout + 10*time.Second):
			t.Errorf("%s node did not stop within its shutdown timeout", dialect)
		}
		if err := a.Close(); err != nil {
			t.Errorf("close %s node: %v", dialect, err)
		}
	})
	waitReady(t, baseURL, done)
	return baseURL, a
}

// waitReady polls /readyz until it answers 200, or fails the test after 15 seconds or when
// the node stops.
func waitReady(t *testing.T, baseURL string, done <-chan error) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(15 * time.Second)
	last := "no answer"
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("node stopped before it was ready: %v", err)
		default:
		}
		resp, err := client.Get(baseURL + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			last = resp.Status + ": " + strings.TrimSpace(string(body))
		} else {
			last = err.Error()
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("node at %s not ready after 15s: %s", baseURL, last)
}

// eachNode runs fn as a subtest on a fresh node of every dialect testkit.Dialects lists.
func eachNode(t *testing.T, fn func(t *testing.T, baseURL string, a *app.App)) {
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			baseURL, a := startNode(t, dialect, nil)
			fn(t, baseURL, a)
		})
	}
}

// response is what a test reads of an HTTP answer.
type response struct {
	Status int
	Header http.Header
	Body   string
}

// do sends one request with the given headers and reads the whole answer. Redirects are
// not followed, so that a test sees exactly what the node answered.
func do(t *testing.T, method, url string, header map[string]string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatalf("request %s %s: %v", method, url, err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatalf("read %s %s: %v", method, url, err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}
