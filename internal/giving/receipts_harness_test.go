package giving

import (
	"bytes"
	"compress/zlib"
	"context"
	"io"
	"regexp"
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
	"solidarity/internal/people"
	"solidarity/internal/testkit"
)

// The helpers of the books' tests (receipts, offline gifts, refunds, reports, statements)
// carry the "books" prefix, apart from the checkout tests' own helpers.

// booksMailbox is the fake mail edge: it checks each e-mail the way notify would and keeps
// it, and forgets the ones of a transaction that rolled back.
type booksMailbox struct {
	mu   sync.Mutex
	mail []notify.Email
}

func (m *booksMailbox) Email(_ context.Context, tx *db.Tx, e notify.Email) (int64, error) {
	if err := e.Validate(); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	pending := e
	n := int64(len(m.mail) + 1)
	tx.AfterCommit(func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.mail = append(m.mail, pending)
	})
	return n, nil
}

// sent returns the mails of committed transactions, optionally only those of purpose.
func (m *booksMailbox) sent(purpose string) []notify.Email {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []notify.Email
	for _, e := range m.mail {
		if purpose == "" || e.Purpose == purpose {
			out = append(out, e)
		}
	}
	return out
}

// booksEnv is the giving service on a real database, with the people service it calls.
type booksEnv struct {
	d      *db.DB
	s      *Service
	people *people.Service
	mail   *booksMailbox
}

var (
	booksOrganizer  = auth.Actor{Kind: auth.KindAccount, ID: 7, Name: "Olga Organizer", Role: auth.RoleOrganizer}
	booksAdmin      = auth.Actor{Kind: auth.KindAccount, ID: 1, Name: "Ada Admin", Role: auth.RoleAdministrator}
	booksDispatcher = auth.Actor{Kind: auth.KindAccount, ID: 9, Name: "Dora Dispatcher", Role: auth.RoleDispatcher}
	booksSystem     = auth.System("test")
)

// newBooks builds the services on d; cfg may set the Stripe address and key.
func newBooks(t testing.TB, d *db.DB, cfg Config) *booksEnv {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	q := jobs.New(d, testkit.Logger())
	mb := &booksMailbox{}
	ppl, err := people.New(people.Config{BaseURL: "https://network.example.org"}, people.Deps{DB: d, Jobs: q, Mail: mb, Catalog: cat, Log: testkit.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://network.example.org"
	}
	s, err := New(cfg, Deps{DB: d, Jobs: q, Mail: mb, Catalog: cat, People: ppl, Log: testkit.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Build(); err != nil {
		t.Fatal(err)
	}
	return &booksEnv{d: d, s: s, people: ppl, mail: mb}
}

// person adds a person with an e-mail and a language.
func (e *booksEnv) person(t testing.TB, given, email, lang string) people.Person {
	t.Helper()
	p, err := e.people.Create(context.Background(), booksSystem, people.PersonInput{GivenName: given, Emails: []string{email}, Language: lang})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return p
}

// gift records an offline gift, failing the test on error.
func (e *booksEnv) gift(t testing.TB, in OfflineGift) int64 {
	t.Helper()
	if in.Currency == "" {
		in.Currency = "usd"
	}
	if in.Method == "" {
		in.Method = MethodCash
	}
	if in.ReceivedOn.IsZero() {
		in.ReceivedOn = booksDay(e.d.Now())
	}
	id, err := e.s.RecordOfflineGift(context.Background(), booksOrganizer, in)
	if err != nil {
		t.Fatalf("record %+v: %v", in, err)
	}
	return id
}

// rawGift inserts a gift straight through addGift, for the card gifts and the dates that
// the offline form does not take.
func (e *booksEnv) rawGift(t testing.TB, g Gift) int64 {
	t.Helper()
	if g.Currency == "" {
		g.Currency = "usd"
	}
	if g.Method == "" {
		g.Method = MethodCard
	}
	if g.PersonID != 0 && g.DonorEmail == "" {
		p, err := e.people.Get(context.Background(), booksSystem, g.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		g.DonorName, g.DonorEmail, g.Language = p.Name(), p.Emails[0].Address, p.Language
	}
	var id int64
	err := e.d.InTx(context.Background(), func(tx *db.Tx) error {
		var err error
		id, err = e.s.addGift(context.Background(), tx, g)
		return err
	})
	if err != nil {
		t.Fatalf("add gift %+v: %v", g, err)
	}
	return id
}

// booksDay is midnight UTC of t's day.
func booksDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// booksWantField fails unless err is invalid input naming field with key.
func booksWantField(t testing.TB, err error, field, key string) {
	t.Helper()
	for _, e := range errs.Fields(err) {
		if e.Field == field && e.Key == key {
			return
		}
	}
	t.Fatalf("error = %v, want %s on %s", err, key, field)
}

var booksStreamRe = regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)

// booksPDFText returns the content streams of a PDF, inflated where fpdf compressed them,
// so that tests can look for the words it prints.
func booksPDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 20)])
	}
	var out strings.Builder
	for _, m := range booksStreamRe.FindAllSubmatch(pdf, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			out.Write(m[1])
			continue
		}
		b, err := io.ReadAll(r)
		if err != nil {
			out.Write(m[1])
			continue
		}
		out.Write(b)
	}
	return out.String()
}

// booksCount is the number of rows of a table.
func booksCount(t testing.TB, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
