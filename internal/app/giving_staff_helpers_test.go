package app_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/config"
	"solidarity/internal/db"
	"solidarity/internal/giving"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/testkit"
)

// givsSystem is the actor the books' tests set fixtures up with.
var givsSystem = auth.System("test")

// givsEachApp runs fn on a fresh node of every dialect testkit.Dialects lists, with card
// giving pointed at stripe-mock.
func givsEachApp(t *testing.T, fn func(t *testing.T, a *app.App)) {
	stripe := testkit.StripeMock(t)
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			cfg := config.Default()
			cfg.DataDir = t.TempDir()
			cfg.StripeSecretKey, cfg.StripeAPIBase = testkit.StripeKey, stripe
			if dialect == db.Postgres {
				cfg.DatabaseURL = testkit.FreshSchema(t)
			}
			a, err := app.Open(context.Background(), cfg, testkit.Logger())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close() })
			fn(t, a)
		})
	}
}

// givsPerson adds a person with an e-mail and a language.
func givsPerson(t *testing.T, a *app.App, given, email, lang string) people.Person {
	t.Helper()
	p, err := a.People.Create(context.Background(), givsSystem, people.PersonInput{GivenName: given, Emails: []string{email}, Language: lang})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return p
}

// givsMail returns the newest mail of purpose to address in the outbox, failing when
// there is none.
func givsMail(t *testing.T, a *app.App, to, purpose string) notify.Delivery {
	t.Helper()
	all := givsMails(t, a, to, purpose)
	if len(all) == 0 {
		t.Fatalf("no %s mail to %s", purpose, to)
	}
	return all[0]
}

// givsMails lists the mails of purpose to address, newest first.
func givsMails(t *testing.T, a *app.App, to, purpose string) []notify.Delivery {
	t.Helper()
	list, err := a.Notify.Outbox(context.Background(), notify.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var out []notify.Delivery
	for _, d := range list.Deliveries {
		if d.To == to && d.Purpose == purpose {
			out = append(out, d)
		}
	}
	return out
}

var givsPDFRe = regexp.MustCompile(`https?://[^/\s]+((?:/receipts/|/statements/)[A-Za-z0-9_-]{43}\.pdf)`)

// givsPDFPath reads the PDF link of a mail.
func givsPDFPath(t *testing.T, d notify.Delivery) string {
	t.Helper()
	m := givsPDFRe.FindStringSubmatch(d.Text)
	if m == nil {
		t.Fatalf("no PDF link in\n%s", d.Text)
	}
	return m[1]
}

// givsGiftForm is the offline gift form with the fields tests do not care about filled.
func givsGiftForm(fields map[string]string) url.Values {
	v := url.Values{"date": {""}, "amount": {"25.00"}, "currency": {"usd"}, "method": {"cash"}, "language": {"en"}}
	for k, val := range fields {
		v.Set(k, val)
	}
	return v
}

// givsRecord posts the offline gift form as g and returns the new gift's id.
func givsRecord(t *testing.T, a *app.App, g *adminAgent, fields map[string]string) int64 {
	t.Helper()
	form := givsGiftForm(fields)
	if form.Get("date") == "" {
		form.Set("date", a.DB.Now().UTC().Format("2006-01-02"))
	}
	p := g.post("/giving/gifts", form)
	if p.Status != 303 || !strings.HasPrefix(p.Location, "/giving/gifts/") {
		t.Fatalf("record gift %v: %d %q\n%s", fields, p.Status, p.Location, adminExcerpt(p.Body))
	}
	return crmIDFrom(t, p.Location, "/giving/gifts/")
}

// givsGift reads a gift through the service.
func givsGift(t *testing.T, a *app.App, id int64) giving.GiftRow {
	t.Helper()
	g, err := a.Giving.GiftByID(context.Background(), givsSystem, id)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
