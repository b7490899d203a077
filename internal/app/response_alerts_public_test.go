package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"solidarity/internal/errs"
	"solidarity/internal/notify"
	"solidarity/internal/response"
)

// Someone signs up for SMS alerts in Spanish on the public page: consent is required, the
// confirmation text (in Spanish) says how to stop, and signing up the same number again
// gets exactly the same answer. Bad input comes back with each problem next to its field
// and stores nothing; the honeypot stores nothing either and answers like a success.
func TestAlertsSubscribeBySMS(t *testing.T) {
	ralEachApp(t, func(t *testing.T, n ralNode) {
		n.start(t)
		v := newVisitor(t, n.App, "198.51.100.10")
		page := v.get("/alerts?lang=es")
		must(t, "subscribe page", page, http.StatusOK, es(n.App, "alerts.subscribe.title"), es(n.App, "alerts.subscribe.consent"),
			es(n.App, "alerts.privacy.deleted"), `name="website"`)

		bad := v.post("/alerts?lang=es", url.Values{"channel": {"sms"}, "phone": {"12"}, "zips": {"9000"}, "language": {"es"}})
		must(t, "bad sign-up", bad, http.StatusUnprocessableEntity, `id="phone-error"`, `<a href="#phone">`, es(n.App, "alerts.zip.invalid"),
			es(n.App, "alerts.consent.required"), `aria-describedby="contact-hint phone-hint phone-error"`)
		if c := ralSubscriberCount(t, n.App); c != 0 {
			t.Fatalf("%d subscriptions after bad input", c)
		}

		form := url.Values{"channel": {"sms"}, "phone": {"(213) 555-0142"}, "zips": {"90001, 90002"}, "language": {"es"}, "consent": {"yes"}}
		first := v.post("/alerts?lang=es", form)
		if first.Status != http.StatusSeeOther || first.Location != "/alerts/thanks?via=sms" {
			t.Fatalf("sign-up: %d %q\n%s", first.Status, first.Location, first.Body)
		}
		must(t, "thanks", v.follow(first), http.StatusOK, es(n.App, "alerts.thanks.sms"))
		again := newVisitor(t, n.App, "198.51.100.11").post("/alerts", form)
		if again.Status != first.Status || again.Location != first.Location {
			t.Errorf("a second sign-up answered %d %q, the first %d %q", again.Status, again.Location, first.Status, first.Location)
		}
		hp := form
		hp.Set("phone", "+12135550143")
		hp.Set("website", "http://spam.example")
		if r := newVisitor(t, n.App, "198.51.100.12").post("/alerts", hp); r.Status != first.Status || r.Location != first.Location {
			t.Errorf("honeypot answered %d %q", r.Status, r.Location)
		}
		if c := ralSubscriberCount(t, n.App); c != 1 {
			t.Fatalf("%d subscriptions, want 1", c)
		}
		// The confirmation texts reached the provider, in Spanish, with STOP/ALTO and a link.
		ralEventually(t, func() bool { return len(ralTexts(n, "ALTO")["+12135550142"]) == 2 })
		body := ralTexts(n, "ALTO")["+12135550142"][0]
		if !strings.Contains(body, "https://alerts.example.org"+response.LeavePath) || !strings.Contains(body, "Solidaridad") {
			t.Errorf("confirmation text %q", body)
		}
		// The delivery log keeps the number sealed.
		var recipients int
		if err := n.DB.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM deliveries WHERE recipient LIKE '%5550142%' OR body_text LIKE '%ALTO%'").Scan(&recipients); err != nil {
			t.Fatal(err)
		}
		if recipients != 0 {
			t.Errorf("%d deliveries hold the number or the text in clear", recipients)
		}
	})
}

// E-mail sign-ups are confirmed by a link (double opt-in); opening the link changes
// nothing until its button is pressed. Every e-mail carries a link that ends the
// subscription without an account, and a used link gets 404.
func TestAlertsSubscribeByEmailAndLeave(t *testing.T) {
	ralEachApp(t, func(t *testing.T, n ralNode) {
		v := newVisitor(t, n.App, "198.51.100.20")
		r := v.post("/alerts?lang=en", url.Values{"channel": {"email"}, "email": {"Maria@Example.org"}, "zips": {"90003"}, "language": {"en"}, "consent": {"yes"}})
		if r.Status != http.StatusSeeOther || r.Location != "/alerts/thanks?via=email" {
			t.Fatalf("sign-up: %d %q\n%s", r.Status, r.Location, r.Body)
		}
		must(t, "thanks", v.follow(r), http.StatusOK, en(n.App, "alerts.thanks.email"))
		confirm := ralMailedPath(t, n.App, "maria@example.org", response.SubscribeConfirmPath)
		leave := ralMailedPath(t, n.App, "maria@example.org", response.LeavePath)

		must(t, "confirm page", v.get(confirm), http.StatusOK, en(n.App, "alerts.confirm.submit"))
		var status string
		_ = n.DB.QueryRowContext(context.Background(), "SELECT status FROM response_subscribers").Scan(&status)
		if status != "pending" {
			t.Fatalf("status %q after opening the link", status)
		}
		done := v.post(confirm, nil)
		if done.Status != http.StatusSeeOther || done.Location != "/alerts/confirmed?lang=en" {
			t.Fatalf("confirm: %d %q", done.Status, done.Location)
		}
		must(t, "confirmed", v.follow(done), http.StatusOK, en(n.App, "alerts.confirmed.title"))
		_ = n.DB.QueryRowContext(context.Background(), "SELECT status FROM response_subscribers").Scan(&status)
		if status != "active" {
			t.Fatalf("status %q after confirming", status)
		}
		must(t, "used confirm link", v.post(confirm, nil), http.StatusNotFound, en(n.App, "alerts.link.invalid"))

		must(t, "leave page", v.get(leave), http.StatusOK, en(n.App, "alerts.leave.submit"))
		left := v.post(leave, nil)
		if left.Status != http.StatusSeeOther || left.Location != "/alerts/left?lang=en" {
			t.Fatalf("leave: %d %q", left.Status, left.Location)
		}
		must(t, "left", v.follow(left), http.StatusOK, en(n.App, "alerts.left.body"))
		if c := ralSubscriberCount(t, n.App); c != 0 {
			t.Fatalf("%d subscriptions after leaving", c)
		}
		must(t, "used leave link", v.post(leave, nil), http.StatusNotFound, en(n.App, "alerts.link.invalid"))
		// The confirmation mail itself is sealed in the delivery log.
		list, err := n.Notify.Outbox(context.Background(), notify.Page{})
		if err != nil || len(list.Deliveries) == 0 || !list.Deliveries[0].Sealed {
			t.Errorf("confirmation mail not sealed: %+v %v", list, err)
		}
	})
}

// The page limits sign-ups per client, per phone or address (whoever types it), and for
// everyone; over a limit it answers 429 with the wait.
func TestAlertsSubscribeRateLimits(t *testing.T) {
	n := ralOpen(t, "sqlite")
	// The limiter's windows are aligned to the clock: hold it mid-window, so that the
	// attempts below (a quarter of a second each) never straddle two windows.
	mid := time.Now().UTC().Truncate(response.SubscribeClientWindow).Add(response.SubscribeClientWindow / 2)
	n.DB.Clock = func() time.Time { return mid }
	v := newVisitor(t, n.App, "198.51.100.30")
	for i := range response.SubscribeClientLimit {
		r := v.post("/alerts", url.Values{"channel": {"sms"}, "phone": {ralPath("+1213555%04d", 200+i)}, "zips": {"90001"}, "language": {"en"}, "consent": {"yes"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("sign-up %d: %d", i, r.Status)
		}
	}
	over := v.post("/alerts", url.Values{"channel": {"sms"}, "phone": {"+12135550300"}, "zips": {"90001"}, "language": {"en"}, "consent": {"yes"}})
	if over.Status != http.StatusTooManyRequests || over.Header.Get("Retry-After") == "" {
		t.Fatalf("over the client limit: %d %q", over.Status, over.Header.Get("Retry-After"))
	}
	for i := range response.SubscribeContactLimit + 1 {
		r := newVisitor(t, n.App, ralPath("203.0.113.%d", i+1)).post("/alerts",
			url.Values{"channel": {"email"}, "email": {"target@example.org"}, "zips": {"90001"}, "language": {"en"}, "consent": {"yes"}})
		want := http.StatusSeeOther
		if i == response.SubscribeContactLimit {
			want = http.StatusTooManyRequests
		}
		if r.Status != want {
			t.Fatalf("sign-up %d of one address: %d, want %d", i+1, r.Status, want)
		}
	}
}

// A subscriber texts ALTO (or STOP) to the hotline number: the signed webhook ends their
// subscription at once, and the next alert of their area has nobody to go to.
func TestAlertsLeaveBySTOPText(t *testing.T) {
	n := ralOpen(t, "sqlite")
	ralSubscribe(t, n, response.AlertSMS, "+12135550151", "es", "90001")
	ralSubscribe(t, n, response.AlertSMS, "+12135550152", "en", "90002")
	for i, c := range []struct{ from, body string }{{"+12135550151", "ALTO"}, {"+12135550152", "stop"}} {
		form := url.Values{"From": {c.from}, "To": {"+15005550006"}, "Body": {c.body}, "MessageSid": {"SM" + strings.Repeat(strconv.Itoa(i+1), 32)},
			"AccountSid": {n.sms.Account}, "NumMedia": {"0"}}
		req := httptest.NewRequest(http.MethodPost, "/webhooks/sms", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", response.SignSMS(n.sms.Token, "https://alerts.example.org/webhooks/sms", form))
		rec := httptest.NewRecorder()
		n.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s from %s: %d %s", c.body, c.from, rec.Code, rec.Body.String())
		}
	}
	if c := ralSubscriberCount(t, n.App); c != 0 {
		t.Fatalf("%d subscriptions after STOP and ALTO", c)
	}
	report := ralReport(t, n.App, "90001", "5 Birch Lane", true)
	_, err := n.Response.CreateAlert(context.Background(), ralSystem, response.AlertRequest{ReportID: report, ZIPs: []string{"90001", "90002"},
		BodyEn: "Agents near {{.Area}}.", BodyEs: "Agentes cerca de {{.Area}}."})
	if f := errs.Fields(err); len(f) != 1 || f[0].Key != "alerts.alert.no_recipients" {
		t.Errorf("alert after everyone left: %v", err)
	}
}
