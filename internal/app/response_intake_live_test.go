package app_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/config"
	"solidarity/internal/response"
	"solidarity/internal/testkit"
)

// rinStream opens the board's event stream as a browser's EventSource would, with the
// session of token, and returns its lines once the stream has started.
func rinStream(t *testing.T, ctx context.Context, baseURL, token string) <-chan string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/response/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	req.AddCookie(&http.Cookie{Name: "sid", Value: token})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := make(chan string, 64)
	sc := bufio.NewScanner(res.Body)
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "retry:") {
		t.Fatalf("stream did not start with a retry hint: %q", sc.Text())
	}
	go func() {
		defer close(lines)
		defer res.Body.Close()
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return lines
}

// rinEvent waits for the next "report" event and returns its report id.
func rinEvent(t *testing.T, lines <-chan string, within time.Duration) int64 {
	t.Helper()
	deadline := time.After(within)
	event := false
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the stream ended")
			}
			if l == "event: report" {
				event = true
			}
			if data, found := strings.CutPrefix(l, "data: "); found && event {
				id, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(data, `{"report":`), "}"), 10, 64)
				if err != nil {
					t.Fatalf("event data %q", data)
				}
				return id
			}
		case <-deadline:
			t.Fatalf("no report event within %v", within)
		}
	}
}

// A board's event stream gets an event as soon as a report is filed on the public page;
// the stream answers only event-stream requests and dispatchers.
func TestRinBoardEventStream(t *testing.T) {
	rinEachApp(t, func(t *testing.T, a *app.App) {
		srv := httptest.NewServer(a.Handler())
		defer srv.Close()
		token := signInAs(t, a, auth.RoleDispatcher)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		lines := rinStream(t, ctx, srv.URL, token)

		v := newVisitor(t, a, "198.51.100.30")
		start := time.Now()
		if res := v.post("/report", rinForm(nil)); res.Status != http.StatusSeeOther {
			t.Fatalf("report: %d", res.Status)
		}
		id := rinEvent(t, lines, 3*time.Second)
		t.Logf("event %v after the report was sent", time.Since(start))
		if want := rinNewest(t, a).ID; id != want {
			t.Errorf("event names report %d, want %d", id, want)
		}
		// A state change is an event too.
		if err := a.Response.SetState(context.Background(), rinStaff, id, response.StateVerifying, ""); err != nil {
			t.Fatal(err)
		}
		if got := rinEvent(t, lines, 3*time.Second); got != id {
			t.Errorf("state change event for %d, want %d", got, id)
		}

		// Without Accept: text/event-stream the route answers 406; other roles 403.
		d := adminAs(t, a, auth.RoleAdministrator)
		d.get("/response/events").expect(t, "plain GET", http.StatusNotAcceptable)
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/response/events", nil)
		req.Header.Set("Accept", "text/event-stream")
		req.AddCookie(&http.Cookie{Name: "sid", Value: signInAs(t, a, auth.RoleOrganizer)})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("organizer's stream: %d", res.StatusCode)
		}
		// StopLive (server shutdown) ends the streams.
		a.Response.StopLive()
		deadline := time.After(3 * time.Second)
		for {
			select {
			case _, ok := <-lines:
				if !ok {
					return
				}
			case <-deadline:
				t.Fatal("the stream did not end when the live feed stopped")
			}
		}
	})
}

// Two nodes on one PostgreSQL database: a report filed on node A reaches a board that
// follows node B.
func TestRinEventCrossesNodes(t *testing.T) {
	if testkit.PostgresURL() == "" {
		testkit.SkipOrFail(t, "postgres", "SOLIDARITY_TEST_POSTGRES is not set")
	}
	dbURL := testkit.FreshSchema(t)
	open := func() *app.App {
		cfg := config.Default()
		cfg.DataDir = t.TempDir()
		cfg.DatabaseURL = dbURL
		a, err := app.Open(context.Background(), cfg, testkit.Logger())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		return a
	}
	nodeA := open()
	if err := nodeA.Vault.InitEphemeral(context.Background()); err != nil {
		t.Fatal(err)
	}
	nodeB := open()
	events, stop, err := nodeB.Response.BoardEvents(rinStaff)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	start := time.Now()
	if res := newVisitor(t, nodeA, "198.51.100.31").post("/report", rinForm(url.Values{"zip": {"78745"}})); res.Status != http.StatusSeeOther {
		t.Fatalf("report on node A: %d", res.Status)
	}
	select {
	case id := <-events:
		if want := rinNewest(t, nodeA).ID; id != want {
			t.Errorf("node B heard of report %d, want %d", id, want)
		}
		t.Logf("node B heard after %v", time.Since(start))
	case <-time.After(3 * time.Second):
		t.Fatal("node B heard nothing")
	}
}

// The stream outlives the server's read and write timeouts (90 s for writes in app.Run;
// here one second each): the handler pushes the connection's deadlines forward itself.
func TestRinStreamOutlivesServerTimeouts(t *testing.T) {
	a := openApp(t)
	if err := a.Vault.InitEphemeral(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(a.Handler())
	srv.Config.ReadTimeout = time.Second
	srv.Config.WriteTimeout = time.Second
	srv.Start()
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lines := rinStream(t, ctx, srv.URL, signInAs(t, a, auth.RoleDispatcher))
	time.Sleep(2500 * time.Millisecond)
	rep := rinCall(t, a, response.KindVehicles, "78705")
	if got := rinEvent(t, lines, 3*time.Second); got != rep.ID {
		t.Errorf("event for %d, want %d", got, rep.ID)
	}
}
