package notify

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

func TestOutboxWithoutProviders(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d, Config{From: "avisos@example.org", SMSRate: 10}, true)
		if h.svc.EmailConfigured() || h.svc.SMSConfigured() {
			t.Fatal("nothing configured, yet the service says it can send")
		}
		var observed []Status
		h.svc.Observe(func(_ Channel, s Status) { observed = append(observed, s) })
		ctx := context.Background()
		mailID := mustEmail(t, h, Email{To: "ana@example.org", Subject: "Bienvenida", Text: "Hola, Ana.", HTML: "<p>Hola</p>", Purpose: "auth.invite"})
		smsID := mustSMS(t, h, SMS{To: "+34600111222", Body: "Código: 123456", Purpose: "auth.code"})
		for _, id := range []int64{mailID, smsID} {
			got, err := h.svc.Delivery(ctx, id)
			if err != nil || got.Status != StatusOutbox || got.Attempts != 0 {
				t.Errorf("delivery %d: status %s, attempts %d (%v); want outbox, never attempted", id, got.Status, got.Attempts, err)
			}
		}
		box, err := h.svc.Outbox(ctx, Page{})
		if err != nil {
			t.Fatal(err)
		}
		if box.Total != 2 || len(box.Deliveries) != 2 {
			t.Fatalf("outbox holds %d (total %d), want 2", len(box.Deliveries), box.Total)
		}
		sms, mail := box.Deliveries[0], box.Deliveries[1] // newest first
		if sms.Channel != ChannelSMS || sms.To != "+34600111222" || sms.Text != "Código: 123456" {
			t.Errorf("outbox SMS: %+v", sms)
		}
		if mail.Channel != ChannelEmail || mail.To != "ana@example.org" || mail.Subject != "Bienvenida" ||
			mail.Text != "Hola, Ana." || mail.HTML != "<p>Hola</p>" || mail.Purpose != "auth.invite" {
			t.Errorf("outbox e-mail: %+v", mail)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM river_job"); n != 0 {
			t.Errorf("%d jobs queued for messages that cannot be sent", n)
		}
		if !slices.Equal(observed, []Status{StatusOutbox, StatusOutbox}) {
			t.Errorf("observer saw %v", observed)
		}
		h.assertNoPII(t, "ana@example.org", "+34600111222", "123456")
	})
}

func TestInvalidInputInsertsNothing(t *testing.T) {
	long := strings.Repeat("a", maxSMS+1)
	cases := []struct {
		name  string
		email *Email
		sms   *SMS
		want  []string
	}{
		{"empty e-mail recipient", &Email{Subject: "Hola", Text: "Hola", Purpose: "p"}, nil, []string{"to=notify.to.required"}},
		{"e-mail without domain", &Email{To: "ana@", Subject: "Hola", Text: "Hola", Purpose: "p"}, nil, []string{"to=notify.email.invalid"}},
		{"e-mail with display name", &Email{To: "Ana <ana@example.org>", Subject: "Hola", Text: "Hola", Purpose: "p"}, nil, []string{"to=notify.email.invalid"}},
		{"two e-mail addresses", &Email{To: "ana@example.org, bea@example.org", Subject: "Hola", Text: "Hola", Purpose: "p"}, nil, []string{"to=notify.email.invalid"}},
		{"header injection in address", &Email{To: "ana@example.org\r\nBcc: x@example.org", Subject: "Hola", Text: "Hola", Purpose: "p"}, nil, []string{"to=notify.email.invalid"}},
		{"empty e-mail body and subject", &Email{To: "ana@example.org", Purpose: "p"}, nil, []string{"subject=notify.subject.required", "text=notify.text.required"}},
		{"e-mail without purpose", &Email{To: "ana@example.org", Subject: "Hola", Text: "Hola"}, nil, []string{"purpose=notify.purpose.required"}},
		{"empty phone", nil, &SMS{Body: "Hola", Purpose: "p"}, []string{"to=notify.to.required"}},
		{"phone without country code", nil, &SMS{To: "600111222", Body: "Hola", Purpose: "p"}, []string{"to=notify.phone.invalid"}},
		{"phone with spaces", nil, &SMS{To: "+34 600 111 222", Body: "Hola", Purpose: "p"}, []string{"to=notify.phone.invalid"}},
		{"blank SMS body", nil, &SMS{To: "+34600111222", Body: "  \n", Purpose: "p"}, []string{"body=notify.body.required"}},
		{"SMS body too long", nil, &SMS{To: "+34600111222", Body: long, Purpose: "p"}, []string{"body=notify.body.too_long"}},
	}
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		sink := testkit.NewSMTPServer(t, testkit.SMTPOptions{})
		p := testkit.NewSMSServer(t)
		h := newHarness(t, d, Config{SMTP: sink.URL(), From: "avisos@example.org",
			SMSURL: p.URL, SMSAccount: p.Account, SMSToken: p.Token, SMSFrom: smsFrom}, false)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var id int64
				var err error
				if c.email != nil {
					id, err = h.svc.Email(context.Background(), nil, *c.email)
				} else {
					id, err = h.svc.SMS(context.Background(), nil, *c.sms)
				}
				if errs.CodeOf(err) != errs.CodeInvalid || id != 0 {
					t.Fatalf("got id %d, error %v; want an invalid-input error", id, err)
				}
				if got := fieldKeys(err); !slices.Equal(got, c.want) {
					t.Errorf("field errors %v, want %v", got, c.want)
				}
			})
		}
		if n := count(t, d, "SELECT COUNT(*) FROM deliveries"); n != 0 {
			t.Errorf("%d deliveries recorded from bad input", n)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM river_job"); n != 0 {
			t.Errorf("%d jobs queued from bad input", n)
		}
	})
}

// TestNeverSentTwice runs the send job over deliveries found in every status. Only a
// queued one is sent; one still in sending (its node died mid-send) becomes uncertain
// and is not sent; final ones stay as they are — even when their job runs again.
func TestNeverSentTwice(t *testing.T) {
	cases := []struct {
		found Status
		want  Status
		sent  int
	}{
		{StatusQueued, StatusSent, 1},
		{StatusSending, StatusUncertain, 0},
		{StatusSent, StatusSent, 0},
		{StatusFailed, StatusFailed, 0},
		{StatusUncertain, StatusUncertain, 0},
		{StatusOutbox, StatusOutbox, 0},
	}
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		sink := testkit.NewSMTPServer(t, testkit.SMTPOptions{})
		h := newHarness(t, d, Config{SMTP: sink.URL(), From: "avisos@example.org"}, false)
		ctx := context.Background()
		ids := map[Status]int64{}
		for _, c := range cases {
			id := mustEmail(t, h, Email{To: string(c.found) + "@example.org", Subject: "Alerta", Text: "Texto", Purpose: "test"})
			if _, err := d.ExecContext(ctx, "UPDATE deliveries SET status = ? WHERE id = ?", string(c.found), id); err != nil {
				t.Fatal(err)
			}
			ids[c.found] = id
		}
		// The same job twice for each: River promises at least once, not exactly once.
		err := d.InTx(ctx, func(tx *db.Tx) error {
			for _, id := range ids {
				if err := h.q.Enqueue(ctx, tx, sendArgs{Delivery: id, Channel: ChannelEmail}, nil); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		h.start(t)
		h.waitJobsDone(t)
		for _, c := range cases {
			got, err := h.svc.Delivery(ctx, ids[c.found])
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != c.want {
				t.Errorf("found %s: now %s, want %s", c.found, got.Status, c.want)
			}
			n := 0
			for _, m := range sink.Messages() {
				if m.To[0] == string(c.found)+"@example.org" {
					n++
				}
			}
			if n != c.sent {
				t.Errorf("found %s: sent %d times, want %d", c.found, n, c.sent)
			}
		}
		if got, _ := h.svc.Delivery(ctx, ids[StatusSending]); !strings.Contains(got.Error, "not sent again") {
			t.Errorf("uncertain delivery explains %q", got.Error)
		}
	})
}

func TestEmailInRolledBackTransaction(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		sink := testkit.NewSMTPServer(t, testkit.SMTPOptions{})
		h := newHarness(t, d, Config{SMTP: sink.URL(), From: "avisos@example.org"}, false)
		err := d.InTx(context.Background(), func(tx *db.Tx) error {
			if _, err := h.svc.Email(context.Background(), tx, Email{To: "ana@example.org", Subject: "Hola", Text: "Hola", Purpose: "p"}); err != nil {
				return err
			}
			return errBoom
		})
		if !errors.Is(err, errBoom) {
			t.Fatalf("InTx: %v", err)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM deliveries") + count(t, d, "SELECT COUNT(*) FROM river_job"); n != 0 {
			t.Errorf("a rolled-back e-mail left %d rows behind", n)
		}
	})
}

func TestDeliveriesListAndPurge(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		h := newHarness(t, d, Config{}, false)
		day := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		clock := day
		d.Clock = func() time.Time { return clock }
		for i := range 6 {
			clock = day.Add(time.Duration(i) * 24 * time.Hour)
			if i%2 == 0 {
				mustEmail(t, h, Email{To: "ana@example.org", Subject: "S", Text: "T", Purpose: "giving.receipt"})
			} else {
				mustSMS(t, h, SMS{To: "+34600111222", Body: "B", Purpose: "response.alert"})
			}
		}
		list := func(f Filter, p Page) DeliveryList {
			t.Helper()
			l, err := h.svc.Deliveries(ctx, f, p)
			if err != nil {
				t.Fatalf("Deliveries(%+v): %v", f, err)
			}
			return l
		}
		if l := list(Filter{Channel: ChannelSMS}, Page{}); l.Total != 3 || len(l.Deliveries) != 3 || !l.Deliveries[0].CreatedAt.Equal(day.Add(5*24*time.Hour)) {
			t.Errorf("SMS filter: total %d, %d rows", l.Total, len(l.Deliveries))
		}
		if l := list(Filter{Purpose: "giving.receipt", Status: StatusOutbox}, Page{}); l.Total != 3 {
			t.Errorf("purpose filter: total %d, want 3", l.Total)
		}
		if l := list(Filter{Status: StatusSent}, Page{}); l.Total != 0 || len(l.Deliveries) != 0 {
			t.Errorf("sent filter: total %d", l.Total)
		}
		page := list(Filter{}, Page{Offset: 2, Limit: 2})
		if page.Total != 6 || len(page.Deliveries) != 2 || !page.Deliveries[0].CreatedAt.Equal(day.Add(3*24*time.Hour)) {
			t.Errorf("second page: total %d, rows %d", page.Total, len(page.Deliveries))
		}
		if _, err := h.svc.Deliveries(ctx, Filter{Status: "lost"}, Page{}); fmtKeys(err) != "status=notify.status.invalid" {
			t.Errorf("unknown status filter: %v", err)
		}
		if _, err := h.svc.Deliveries(ctx, Filter{Channel: "fax"}, Page{}); fmtKeys(err) != "channel=notify.channel.invalid" {
			t.Errorf("unknown channel filter: %v", err)
		}
		if _, err := h.svc.Delivery(ctx, 9999); !errors.Is(err, errs.NotFound("notify.delivery.not_found")) {
			t.Errorf("missing delivery: %v", err)
		}

		// Everything created before the fourth day goes, recipients and bodies with it.
		n, err := h.svc.Purge(ctx, day.Add(3*24*time.Hour))
		if err != nil || n != 3 {
			t.Fatalf("Purge: %d rows, %v; want 3", n, err)
		}
		if left := list(Filter{}, Page{}); left.Total != 3 || !left.Deliveries[2].CreatedAt.Equal(day.Add(3*24*time.Hour)) {
			t.Errorf("after purge: total %d", left.Total)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM deliveries WHERE created_at < ?", day.Add(3*24*time.Hour)); n != 0 {
			t.Errorf("%d old rows survived the purge", n)
		}
		if n, err := h.svc.Purge(ctx, day); err != nil || n != 0 {
			t.Errorf("second purge: %d, %v", n, err)
		}
	})
}

// TestPurgedBeforeSending checks that a delivery purged while queued is not sent.
func TestPurgedBeforeSending(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		sink := testkit.NewSMTPServer(t, testkit.SMTPOptions{})
		h := newHarness(t, d, Config{SMTP: sink.URL(), From: "avisos@example.org"}, false)
		mustEmail(t, h, Email{To: "ana@example.org", Subject: "Hola", Text: "Hola", Purpose: "p"})
		if n, err := h.svc.Purge(context.Background(), time.Now().Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("Purge: %d, %v", n, err)
		}
		h.start(t)
		if states := h.waitJobsDone(t); !slices.Equal(states, []string{"completed"}) {
			t.Errorf("job states %v", states)
		}
		if n := sink.Sessions(); n != 0 {
			t.Errorf("the mail server was contacted %d times for a purged message", n)
		}
	})
}

func fmtKeys(err error) string { return strings.Join(fieldKeys(err), ",") }
