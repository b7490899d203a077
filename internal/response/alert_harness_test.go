package response

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/i18n"
	"solidarity/internal/jobs"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/retention"
	"solidarity/internal/testkit"
	"solidarity/internal/vault"
)

// ralDispatcher is the dispatcher the alert tests act as.
var ralDispatcher = auth.Actor{Kind: auth.KindAccount, ID: 5, Name: "Dana Dispatcher", Role: auth.RoleDispatcher}

// ralHarness is rapid response on a real database with an unsealed vault, a built (not
// started) job queue and, when asked, a fake Twilio-compatible provider.
type ralHarness struct {
	d      *db.DB
	q      *jobs.Queue
	s      *Service
	v      *vault.Vault
	notify *notify.Service
	sms    *testkit.SMSServer
}

// ralOptions tune a harness.
type ralOptions struct {
	rate     float64 // Config.SMSRate
	noSMS    bool    // no provider: SMS go to the outbox
	provider *testkit.SMSServer
	smtp     *testkit.SMTPServer // e-mail to this server (else to the outbox)
}

func ralNew(t testing.TB, d *db.DB, o ralOptions) *ralHarness {
	t.Helper()
	ctx := context.Background()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	q := jobs.New(d, testkit.Logger())
	q.PollInterval = 50 * time.Millisecond
	v := vault.New(d, testkit.Logger())
	if err := v.InitEphemeral(ctx); err != nil {
		t.Fatal(err)
	}
	h := &ralHarness{d: d, q: q, v: v}
	ncfg := notify.Config{}
	if !o.noSMS {
		h.sms = o.provider
		if h.sms == nil {
			h.sms = testkit.NewSMSServer(t)
		}
		ncfg = notify.Config{SMSURL: h.sms.URL, SMSAccount: h.sms.Account, SMSToken: h.sms.Token, SMSFrom: "+15005550006"}
	}
	if o.smtp != nil {
		ncfg.SMTP, ncfg.From, ncfg.SMTPRootCAs = o.smtp.URL(), "Solidarity <alerts@network.example.org>", o.smtp.RootCAs()
	}
	n, err := notify.New(d, q, ncfg, testkit.Logger())
	if err != nil {
		t.Fatal(err)
	}
	n.SetSealer(v)
	h.notify = n
	p, err := people.New(people.Config{}, people.Deps{DB: d, Jobs: q, Mail: n, Catalog: cat, Log: testkit.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{BaseURL: "https://network.example.org", SMSRate: o.rate}, Deps{
		DB: d, Jobs: q, Notify: n, Vault: v, Retention: retention.New(d, testkit.Logger()), Catalog: cat, People: p, Log: testkit.Logger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Build(); err != nil {
		t.Fatal(err)
	}
	h.s = s
	return h
}

// report files a report in state with an encrypted address, straight into its table (the
// intake pages are not what these tests are about).
func (h *ralHarness) report(t testing.TB, state State, kind Kind, zip, address string) int64 {
	t.Helper()
	var id int64
	observed := time.Date(2026, 11, 20, 14, 5, 0, 0, time.UTC)
	err := h.d.InTx(context.Background(), func(tx *db.Tx) error {
		var err error
		id, err = tx.Insert(context.Background(), `INSERT INTO response_reports (kind, state, source, zip, language, observed_at,
			created_at, updated_at) VALUES (?, ?, 'web', ?, 'en', ?, ?, ?)`, string(kind), string(state), zip, observed, tx.Now, tx.Now)
		if err != nil || address == "" {
			return err
		}
		ct, err := h.v.EncryptString("response_reports", id, "address", address)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(context.Background(), "UPDATE response_reports SET address = ? WHERE id = ?", ct, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// subscribe signs a contact up from the public page's path and, for e-mail, confirms it.
func (h *ralHarness) subscribe(t testing.TB, ch AlertChannel, contact, lang string, zips ...string) {
	t.Helper()
	ctx := context.Background()
	if err := h.s.Subscribe(ctx, SubscribeRequest{Contact: contact, Channel: ch, ZIPs: zips, Language: lang, Consent: true}); err != nil {
		t.Fatalf("subscribe %s: %v", contact, err)
	}
	if ch == AlertEmail {
		if _, err := h.s.ConfirmSubscription(ctx, ralLink(t, h, contact, SubscribeConfirmPath)); err != nil {
			t.Fatalf("confirm %s: %v", contact, err)
		}
	}
}

// ralLink returns the token of the newest link under prefix in the outbox messages to
// contact.
func ralLink(t testing.TB, h *ralHarness, contact, prefix string) string {
	t.Helper()
	list, err := h.notify.Deliveries(context.Background(), notify.Filter{}, notify.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range list.Deliveries {
		if d.To != contact {
			continue
		}
		if i := strings.Index(d.Text, prefix); i >= 0 {
			rest := d.Text[i+len(prefix):]
			return rest[:43]
		}
	}
	t.Fatalf("no link %s for %s", prefix, contact)
	return ""
}

// send runs the alert's sender to the end, as its job would.
func (h *ralHarness) send(t testing.TB, id int64) {
	t.Helper()
	if err := newAlertSender(h.s).run(context.Background(), id); err != nil {
		t.Fatalf("send alert %d: %v", id, err)
	}
}

// alert loads an alert as a dispatcher sees it.
func (h *ralHarness) alert(t testing.TB, id int64) Alert {
	t.Helper()
	a, err := h.s.Alert(context.Background(), ralDispatcher, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// ralPhone is the n-th test phone number (555-01xx numbers are valid and fictional).
func ralPhone(n int) string { return fmt.Sprintf("+1213555%04d", n) }

// ralByTo groups the fake provider's messages by recipient.
func ralByTo(msgs []testkit.SMSMessage) map[string][]string {
	out := map[string][]string{}
	for _, m := range msgs {
		out[m.To] = append(out[m.To], m.Body)
	}
	return out
}

// ralBulkSubscribers stores n active SMS subscribers of zip (numbers ralPhone(10000+i),
// every other one in Spanish) the way Subscribe stores them, without their confirmation
// texts, in a few large transactions.
func ralBulkSubscribers(t testing.TB, h *ralHarness, n int, zip string) {
	t.Helper()
	ctx := context.Background()
	for start := 0; start < n; start += 2000 {
		err := h.d.InTx(ctx, func(tx *db.Tx) error {
			for i := start; i < min(n, start+2000); i++ {
				phone := ralPhone(10000 + i)
				index, err := h.v.BlindIndex(subscriberIndexField, subscriberKey(AlertSMS, phone))
				if err != nil {
					return err
				}
				lang := "en"
				if i%2 == 1 {
					lang = "es"
				}
				id, _, err := h.s.insertSubscriber(ctx, tx, subscriberRow{Channel: AlertSMS, Status: SubscriberActive, Language: lang}, phone, index)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, "INSERT INTO response_subscriber_zips (subscriber_id, zip) VALUES (?, ?)", id, zip); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
