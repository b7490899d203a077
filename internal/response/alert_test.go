package response

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"solidarity/internal/audit"
	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/notify"
	"solidarity/internal/testkit"
)

const (
	ralBodyEn = "Verified report: {{.Kind}} near {{.Area}} at {{.Time}}. Do not open the door."
	ralBodyEs = "Reporte verificado: {{.Kind}} cerca de {{.Area}} a las {{.Time}}. No abra la puerta."
)

// Only a confirmed report can be alerted; the refusal is a translated field error, and
// nothing is stored or sent. Roles without response.alert are refused.
func TestAlertNeedsConfirmedReport(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := ralNew(t, d, ralOptions{})
		ctx := context.Background()
		h.subscribe(t, AlertSMS, ralPhone(1), "en", "90001")
		for _, st := range []State{StateNew, StateVerifying, StateUnconfirmed, StateFalseAlarm, StateClosed} {
			id := h.report(t, st, KindHome, "90001", "")
			_, err := h.s.CreateAlert(ctx, ralDispatcher, AlertRequest{ReportID: id, ZIPs: []string{"90001"}, BodyEn: ralBodyEn, BodyEs: ralBodyEs})
			if e := errs.As(err); e.Code != errs.CodeInvalid || e.Key != "alerts.report.not_confirmed" {
				t.Errorf("%s report: %v", st, err)
			}
		}
		id := h.report(t, StateConfirmed, KindHome, "90001", "")
		responder := auth.Actor{Kind: auth.KindAccount, ID: 9, Name: "R", Role: auth.RoleResponder}
		if _, err := h.s.CreateAlert(ctx, responder, AlertRequest{ReportID: id, ZIPs: []string{"90001"}, BodyEn: ralBodyEn, BodyEs: ralBodyEs}); errs.CodeOf(err) != errs.CodeForbidden {
			t.Errorf("a responder alerted: %v", err)
		}
		list, err := h.s.Alerts(ctx, ralDispatcher, AlertQuery{})
		if err != nil || len(list) != 0 || len(h.sms.Messages()) != 0 {
			t.Fatalf("something was stored or sent: %v %v %d", list, err, len(h.sms.Messages()))
		}
	})
}

// The report's own address, or anything shaped like an address, is refused in either
// language; the address is decrypted for the check and the read is audited.
func TestAlertRefusesAddress(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := ralNew(t, d, ralOptions{})
		ctx := context.Background()
		h.subscribe(t, AlertSMS, ralPhone(1), "en", "90001")
		id := h.report(t, StateConfirmed, KindHome, "90001", "4821 Maple Grove, Los Angeles, CA 90001")
		cases := []struct {
			en, es, field, key string
		}{
			{"Agents at 4821 Maple Grove now", ralBodyEs, "body_en", "alerts.body.report_address"},
			{ralBodyEn, "Agentes en Maple Grove 4821", "body_es", "alerts.body.report_address"},
			{"Agents at 17 Oak Street", ralBodyEs, "body_en", "alerts.body.address"},
			{ralBodyEn, "Agentes en Calle Olmo 45", "body_es", "alerts.body.address"},
		}
		for _, c := range cases {
			_, err := h.s.CreateAlert(ctx, ralDispatcher, AlertRequest{ReportID: id, ZIPs: []string{"90001"}, BodyEn: c.en, BodyEs: c.es})
			fields := errs.Fields(err)
			if len(fields) != 1 || fields[0].Field != c.field || fields[0].Key != c.key {
				t.Errorf("%q / %q: %v", c.en, c.es, err)
			}
		}
		p, err := h.s.PreviewAlert(ctx, ralDispatcher, AlertRequest{ReportID: id, ZIPs: []string{"90001"}, BodyEn: ralBodyEn, BodyEs: ralBodyEs})
		if err != nil || p.Recipients != 1 || !strings.Contains(p.TextEn, "agents at a home near 90001 at 14:05 UTC") {
			t.Fatalf("preview %+v %v", p, err)
		}
		entries, err := audit.List(ctx, d, audit.Filter{Action: "response.report.read_address"})
		if err != nil || len(entries) < 2 || entries[0].Object == "" || strings.Contains(entries[0].Detail, "Maple") {
			t.Errorf("address reads audited: %+v %v", entries, err)
		}
		if len(h.sms.Messages()) != 0 {
			t.Error("a refused alert or a preview sent something")
		}
	})
}

// An alert to two ZIP codes reaches every subscriber of either (once, even when subscribed
// to both), each in their own language and channel, and nobody else; the all clear that
// follows goes to exactly the same people, not to someone who subscribed in between.
func TestAlertTwoZIPsTwoLanguagesAndAllClear(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := ralNew(t, d, ralOptions{})
		ctx := context.Background()
		h.subscribe(t, AlertSMS, ralPhone(1), "en", "90001")
		h.subscribe(t, AlertSMS, ralPhone(2), "es", "90002")
		h.subscribe(t, AlertSMS, ralPhone(3), "es", "90001", "90002")
		h.subscribe(t, AlertSMS, ralPhone(4), "en", "90003") // another area
		h.subscribe(t, AlertEmail, "lucia@example.org", "es", "90002")
		if err := h.s.Subscribe(ctx, SubscribeRequest{Contact: "pending@example.org", Channel: AlertEmail, ZIPs: []string{"90001"}, Language: "en", Consent: true}); err != nil {
			t.Fatal(err) // never confirmed: receives nothing
		}
		report := h.report(t, StateConfirmed, KindCheckpoint, "90001", "Figueroa St and 103rd St")

		a, err := h.s.CreateAlert(ctx, ralDispatcher, AlertRequest{ReportID: report, ZIPs: []string{"90001", "90002"}, BodyEn: ralBodyEn, BodyEs: ralBodyEs})
		if err != nil {
			t.Fatal(err)
		}
		if a.Recipients != 4 || a.Counts[RecipientQueued] != 4 || a.Status != AlertSending {
			t.Fatalf("alert %+v", a)
		}
		h.send(t, a.ID)
		a = h.alert(t, a.ID)
		if a.Status != AlertDone || a.Counts[RecipientSent] != 4 || a.FinishedAt == nil {
			t.Fatalf("after sending: %+v", a)
		}
		got := ralByTo(h.sms.Messages())
		if len(got) != 3 {
			t.Fatalf("SMS to %d numbers, want 3: %v", len(got), got)
		}
		en := "Verified report: a checkpoint near 90001, 90002 at 14:05 UTC. Do not open the door."
		es := "Reporte verificado: un retén cerca de 90001, 90002 a las 14:05 UTC. No abra la puerta."
		for phone, want := range map[string]string{ralPhone(1): en, ralPhone(2): es, ralPhone(3): es} {
			if len(got[phone]) != 1 || !strings.HasPrefix(got[phone][0], want) {
				t.Errorf("%s got %q, want %q", phone, got[phone], want)
			}
		}
		if !strings.Contains(got[ralPhone(1)][0], "STOP") || !strings.Contains(got[ralPhone(2)][0], "ALTO") {
			t.Errorf("no stop notice: %v", got)
		}
		mails, err := h.notify.Outbox(ctx, notify.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var alertMail *notify.Delivery
		for i, m := range mails.Deliveries {
			if m.Purpose == "response.alert" {
				if alertMail != nil {
					t.Fatal("two alert e-mails")
				}
				alertMail = &mails.Deliveries[i]
			}
		}
		if alertMail == nil || alertMail.To != "lucia@example.org" || !alertMail.Sealed || !strings.Contains(alertMail.Text, es) ||
			!strings.Contains(alertMail.Text, LeavePath) || !strings.Contains(alertMail.Subject, "Alerta") {
			t.Fatalf("alert e-mail %+v", alertMail)
		}

		// Someone subscribes in between; one of the recipients leaves by STOP.
		h.subscribe(t, AlertSMS, ralPhone(5), "en", "90001")
		if err := d.InTx(ctx, func(tx *db.Tx) error { return h.s.smsLeave(ctx, tx, ralPhone(3)) }); err != nil {
			t.Fatal(err)
		}
		clear, err := h.s.CreateAlert(ctx, ralDispatcher, AlertRequest{ParentID: a.ID,
			BodyEn: "All clear in {{.Area}}.", BodyEs: "Ya pasó el peligro en {{.Area}}."})
		if err != nil {
			t.Fatal(err)
		}
		if clear.Kind != AlertKindAllClear || clear.ParentID != a.ID || clear.ReportID != report || clear.Recipients != 3 {
			t.Fatalf("all clear %+v", clear)
		}
		h.send(t, clear.ID)
		got = ralByTo(h.sms.Messages())
		if len(got[ralPhone(1)]) != 2 || got[ralPhone(1)][1] != "All clear in 90001, 90002.\n\nReply STOP to stop alerts." {
			t.Errorf("all clear in English: %q", got[ralPhone(1)])
		}
		if len(got[ralPhone(2)]) != 2 || !strings.HasPrefix(got[ralPhone(2)][1], "Ya pasó el peligro en 90001, 90002.") {
			t.Errorf("all clear in Spanish: %q", got[ralPhone(2)])
		}
		if len(got[ralPhone(3)]) != 1 || len(got[ralPhone(5)]) != 0 || len(got[ralPhone(4)]) != 0 {
			t.Errorf("the all clear went to the wrong people: %v", got)
		}
		if parent := h.alert(t, a.ID); !slices.Equal(parent.AllClears, []int64{clear.ID}) {
			t.Errorf("the alert does not link its all clear: %v", parent.AllClears)
		}
		// An all clear cannot follow an all clear.
		if _, err := h.s.CreateAlert(ctx, ralDispatcher, AlertRequest{ParentID: clear.ID, BodyEn: "x", BodyEs: "y"}); errs.CodeOf(err) != errs.CodeInvalid {
			t.Errorf("all clear of an all clear: %v", err)
		}
	})
}

// Templates keep both languages and the safe placeholders; an alert can start from one.
func TestAlertTemplates(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := ralNew(t, d, ralOptions{})
		ctx := context.Background()
		_, err := h.s.SaveAlertTemplate(ctx, ralDispatcher, 0, AlertTemplate{Name: "Bad", Kind: AlertKindAlert, BodyEn: "At {{.Address}}", BodyEs: ""})
		if f := errsFields(err); !slices.Contains(f, "body_en") || !slices.Contains(f, "body_es") {
			t.Fatalf("bad template: %v", err)
		}
		tmpl, err := h.s.SaveAlertTemplate(ctx, ralDispatcher, 0, AlertTemplate{Name: " Raid  nearby ", Kind: AlertKindAlert, BodyEn: ralBodyEn, BodyEs: ralBodyEs})
		if err != nil || tmpl.Name != "Raid nearby" {
			t.Fatalf("save: %+v %v", tmpl, err)
		}
		if _, err := h.s.SaveAlertTemplate(ctx, ralDispatcher, 0, AlertTemplate{Name: "Raid nearby", Kind: AlertKindAllClear, BodyEn: "a", BodyEs: "b"}); !slices.Contains(errsFields(err), "name") {
			t.Errorf("duplicate name: %v", err)
		}
		h.subscribe(t, AlertSMS, ralPhone(1), "es", "90001")
		report := h.report(t, StateConfirmed, KindArrest, "90001", "")
		a, err := h.s.CreateAlert(ctx, ralDispatcher, AlertRequest{ReportID: report, ZIPs: []string{"90001"}, TemplateID: tmpl.ID})
		if err != nil || a.TemplateID != tmpl.ID || !strings.Contains(a.BodyEs, "un arresto en curso") {
			t.Fatalf("alert from template: %+v %v", a, err)
		}
		if err := h.s.DeleteAlertTemplate(ctx, ralDispatcher, tmpl.ID); err != nil {
			t.Fatal(err)
		}
		if a = h.alert(t, a.ID); a.TemplateID != 0 || a.BodyEs == "" {
			t.Errorf("after deleting its template: %+v", a)
		}
	})
}

// With a provider limit of N messages a second, the sender hands messages over at N: no
// second holds more than N (+1 for the token the bucket starts with), and the whole send
// takes about (count-1)/N.
func TestAlertRespectsRate(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		const rate, count = 25.0, 60
		h := ralNew(t, d, ralOptions{rate: rate})
		ralBulkSubscribers(t, h, count, "90001")
		report := h.report(t, StateConfirmed, KindHome, "90001", "")
		a, err := h.s.CreateAlert(context.Background(), ralDispatcher, AlertRequest{ReportID: report, ZIPs: []string{"90001"}, BodyEn: ralBodyEn, BodyEs: ralBodyEs})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		h.send(t, a.ID)
		took := time.Since(start)
		msgs := h.sms.Messages()
		if len(msgs) != count {
			t.Fatalf("%d messages, want %d", len(msgs), count)
		}
		span := msgs[len(msgs)-1].At.Sub(msgs[0].At)
		want := time.Duration(float64(count-1) / rate * float64(time.Second))
		if span < want*9/10 || took > want*2+time.Second {
			t.Errorf("%d messages at %v/s took %v (span %v), want about %v", count, rate, took, span, want)
		}
		for i := range msgs {
			n := 0
			// Arrival times jitter by a few milliseconds on the way: count within 950 ms.
			for j := i; j < len(msgs) && msgs[j].At.Sub(msgs[i].At) < 950*time.Millisecond; j++ {
				n++
			}
			if n > int(rate)+1 {
				t.Fatalf("%d messages within one second from message %d, limit %v", n, i, rate)
			}
		}
		t.Logf("%d messages at %v/s: span %v, run %v (%.1f msg/s)", count, rate, span, took, float64(count-1)/span.Seconds())
	})
}
