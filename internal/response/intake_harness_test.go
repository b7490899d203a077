package response

import (
	"context"
	"testing"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/i18n"
	"solidarity/internal/jobs"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/retention"
	"solidarity/internal/testkit"
	"solidarity/internal/vault"
)

// rinActor is the dispatcher the intake tests act as.
var rinActor = auth.Actor{Kind: auth.KindAccount, ID: 7, Name: "Rita Dispatcher", Role: auth.RoleDispatcher}

// rinHarness is intake on a real database with an unsealed vault; text messages go to the
// outbox.
type rinHarness struct {
	d *db.DB
	s *Service
	v *vault.Vault
}

func rinNew(t testing.TB, d *db.DB) *rinHarness {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	q := jobs.New(d, testkit.Logger())
	v := vault.New(d, testkit.Logger())
	if err := v.InitEphemeral(context.Background()); err != nil {
		t.Fatal(err)
	}
	n, err := notify.New(d, q, notify.Config{}, testkit.Logger())
	if err != nil {
		t.Fatal(err)
	}
	n.SetSealer(v)
	p, err := people.New(people.Config{}, people.Deps{DB: d, Jobs: q, Mail: n, Catalog: cat, Log: testkit.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{BaseURL: "https://network.example.org"}, Deps{DB: d, Jobs: q, Notify: n, Vault: v,
		Retention: retention.New(d, testkit.Logger()), Catalog: cat, People: p, Log: testkit.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Build(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.StopLive)
	return &rinHarness{d: d, s: s, v: v}
}

// sms runs smsReport in a transaction of its own, as the webhook does.
func (h *rinHarness) sms(t testing.TB, from, body, lang string) (string, error) {
	t.Helper()
	var reply string
	err := h.d.InTx(context.Background(), func(tx *db.Tx) error {
		var err error
		reply, err = h.s.smsReport(context.Background(), tx, from, body, lang)
		return err
	})
	return reply, err
}

// newest returns the newest report.
func (h *rinHarness) newest(t testing.TB) Report {
	t.Helper()
	var id int64
	if err := h.d.QueryRowContext(context.Background(), "SELECT COALESCE(MAX(id), 0) FROM response_reports").Scan(&id); err != nil {
		t.Fatal(err)
	}
	r, err := loadReport(context.Background(), h.d, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// count counts reports.
func (h *rinHarness) count(t testing.TB) int {
	t.Helper()
	var n int
	if err := h.d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM response_reports").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// errsFieldsOf lists the fields of err's field errors, in order.
func errsFieldsOf(err error) []string {
	var out []string
	for _, e := range errs.Fields(err) {
		out = append(out, e.Field)
	}
	return out
}
