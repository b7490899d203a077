package notify

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/jobs"
	"solidarity/internal/testkit"
)

// harness is a notify service on a real database with a real job queue.
type harness struct {
	d    *db.DB
	q    *jobs.Queue
	svc  *Service
	logs *syncBuffer
}

// syncBuffer collects the service's log lines, to check that none holds PII.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newHarness builds the service and the queue; tune lets a test change the service
// before the queue starts; start false leaves the queue built but idle.
func newHarness(t *testing.T, d *db.DB, cfg Config, start bool, tune ...func(*Service)) *harness {
	t.Helper()
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	q := jobs.New(d, testkit.Logger())
	q.PollInterval = 50 * time.Millisecond
	svc, err := New(d, q, cfg, log)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	svc.retryDelay = func(int) time.Duration { return 100 * time.Millisecond }
	for _, f := range tune {
		f(svc)
	}
	if err := q.Build(); err != nil {
		t.Fatalf("Build: %v", err)
	}
	h := &harness{d: d, q: q, svc: svc, logs: logs}
	if start {
		h.start(t)
	}
	return h
}

func (h *harness) start(t *testing.T) {
	t.Helper()
	if err := h.q.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = h.q.Stop(ctx)
	})
}

// waitFinal polls the delivery until its status is final and returns it.
func (h *harness) waitFinal(t *testing.T, id int64) Delivery {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		d, err := h.svc.Delivery(context.Background(), id)
		if err != nil {
			t.Fatalf("Delivery(%d): %v", id, err)
		}
		if d.Status.Final() {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery %d still %s after 20s (attempts %d, error %q)", id, d.Status, d.Attempts, d.Error)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitJobsDone polls River's table until no send job is waiting, running or due for a
// retry, and returns the states the jobs ended in.
func (h *harness) waitJobsDone(t *testing.T) []string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		rows, err := h.d.QueryContext(context.Background(), "SELECT state FROM river_job WHERE kind = ? ORDER BY id", sendArgs{}.Kind())
		if err != nil {
			t.Fatalf("river_job: %v", err)
		}
		var states []string
		pending := false
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			states = append(states, s)
			pending = pending || (s != "completed" && s != "cancelled" && s != "discarded")
		}
		rows.Close()
		if !pending {
			return states
		}
		if time.Now().After(deadline) {
			t.Fatalf("send jobs not done after 20s: %v", states)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// assertNoPII fails when a log line holds any of the secrets (recipients, bodies).
func (h *harness) assertNoPII(t *testing.T, secrets ...string) {
	t.Helper()
	logs := h.logs.String()
	for _, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("logs hold %q:\n%s", s, logs)
		}
	}
}

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// fieldKeys returns "field=key" for each field error of err.
func fieldKeys(err error) []string {
	var out []string
	for _, e := range errs.Fields(err) {
		out = append(out, e.Field+"="+e.Key)
	}
	return out
}

func mustEmail(t *testing.T, h *harness, m Email) int64 {
	t.Helper()
	id, err := h.svc.Email(context.Background(), nil, m)
	if err != nil {
		t.Fatalf("Email: %v", err)
	}
	return id
}

func mustSMS(t *testing.T, h *harness, m SMS) int64 {
	t.Helper()
	id, err := h.svc.SMS(context.Background(), nil, m)
	if err != nil {
		t.Fatalf("SMS: %v", err)
	}
	return id
}

var errBoom = errors.New("boom")
