package people

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/i18n"
	"solidarity/internal/jobs"
	"solidarity/internal/notify"
	"solidarity/internal/testkit"
)

// mailbox is the fake mail edge: it checks each e-mail the way notify would and keeps it.
type mailbox struct {
	mu   sync.Mutex
	mail []notify.Email
}

func (m *mailbox) Email(_ context.Context, _ *db.Tx, e notify.Email) (int64, error) {
	if err := e.Validate(); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mail = append(m.mail, e)
	return int64(len(m.mail)), nil
}

func (m *mailbox) sent() []notify.Email {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]notify.Email(nil), m.mail...)
}

// harness is the CRM on a real database with a built (not started) job queue.
type harness struct {
	d    *db.DB
	q    *jobs.Queue
	s    *Service
	mail *mailbox
}

var (
	organizer  = auth.Actor{Kind: auth.KindAccount, ID: 7, Name: "Olga Organizer", Role: auth.RoleOrganizer}
	admin      = auth.Actor{Kind: auth.KindAccount, ID: 1, Name: "Ada Admin", Role: auth.RoleAdministrator}
	caseworker = auth.Actor{Kind: auth.KindAccount, ID: 9, Name: "Carla Caseworker", Role: auth.RoleCaseworker}
	responder  = auth.Actor{Kind: auth.KindAccount, ID: 11, Name: "Rafa Responder", Role: auth.RoleResponder}
)

func newHarness(t testing.TB, d *db.DB, tune ...func(*Config)) *harness {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	q := jobs.New(d, testkit.Logger())
	q.PollInterval = 50 * time.Millisecond
	cfg := Config{BaseURL: "https://network.example.org", ImportBatch: 50}
	for _, f := range tune {
		f(&cfg)
	}
	mb := &mailbox{}
	s, err := New(cfg, Deps{DB: d, Jobs: q, Mail: mb, Catalog: cat, Log: testkit.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Build(); err != nil {
		t.Fatal(err)
	}
	return &harness{d: d, q: q, s: s, mail: mb}
}

// start works jobs until the test ends.
func (h *harness) start(t *testing.T) {
	t.Helper()
	if err := h.q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = h.q.Stop(ctx)
	})
}

// mustCreate adds a person or fails the test.
func (h *harness) mustCreate(t testing.TB, in PersonInput) Person {
	t.Helper()
	p, err := h.s.Create(context.Background(), organizer, in)
	if err != nil {
		t.Fatalf("Create %+v: %v", in, err)
	}
	return p
}

// countRows returns the number of rows of a table.
func countRows(t testing.TB, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// wantField checks that err is an invalid-input error naming field with key.
func wantField(t testing.TB, err error, field, key string) {
	t.Helper()
	for _, e := range errs.Fields(err) {
		if e.Field == field && e.Key == key {
			return
		}
	}
	t.Fatalf("error = %v, want %s on %s", err, key, field)
}

// wantCode checks err's code.
func wantCode(t testing.TB, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

// auditActions returns the audit log's actions with their objects and details, oldest first.
func auditActions(t testing.TB, d *db.DB) []string {
	t.Helper()
	rows, err := d.QueryContext(context.Background(), "SELECT action, object, detail, actor FROM audit_log ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a, o, det, actor string
		if err := rows.Scan(&a, &o, &det, &actor); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Join([]string{a, o, det, actor}, " "))
	}
	return out
}
