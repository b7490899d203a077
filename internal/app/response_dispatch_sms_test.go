package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/people"
	"solidarity/internal/response"
	"solidarity/internal/testkit"
)

// rdiChanges counts what an inbound text can change, to show that a refused one changed
// nothing.
func rdiChanges(t *testing.T, a *app.App) [5]int {
	return [5]int{
		rdiCount(t, a, "SELECT COUNT(*) FROM response_inbound_sms"),
		rdiCount(t, a, "SELECT COUNT(*) FROM response_reports"),
		rdiCount(t, a, "SELECT COUNT(*) FROM consents WHERE status = 'revoked'"),
		rdiCount(t, a, "SELECT COUNT(*) FROM audit_log"),
		rdiCount(t, a, "SELECT COUNT(*) FROM response_dispatch_requests WHERE state <> 'pending'"),
	}
}

// The webhook takes only texts signed with the provider's token over the configured base
// URL: a forged or missing signature gets 403 and changes nothing, even for a YES that
// would assign a responder or a STOP that would end consent.
func TestRdiSMSSignature(t *testing.T) {
	rdiEachApp(t, func(t *testing.T, a *app.App) {
		report := rdiReport(t, a, "10001", "1 Test Street")
		r := rdiResponder(t, a, rdiResponderSpec{Name: "Sol", Phone: "+12015550131", ZIPs: []string{"10001"}})
		rdiDispatch(t, a, report, 1, r)
		if _, err := a.People.Create(context.Background(), rdiSystem, people.PersonInput{GivenName: "Quinn", Emails: []string{"quinn@example.org"}, Phones: []string{"+12015550132"}}); err != nil {
			t.Fatal(err)
		}
		before := rdiChanges(t, a)
		for _, in := range []rdiInbound{
			{From: "+12015550131", Body: "YES"},                                   // no signature
			{From: "+12015550131", Body: "YES", Token: rdiSMSToken, Forge: true},  // signature of another form
			{From: "+12015550131", Body: "YES", Token: "not-the-provider-token"},  // wrong key
			{From: "+12015550132", Body: "STOP", Token: "not-the-provider-token"}, // wrong key
			{From: "+12015550133", Body: "agents on 5th street", Token: rdiSMSToken, Forge: true},
		} {
			if status, body := rdiText(t, a, in); status != http.StatusForbidden || strings.Contains(body, "Message") {
				t.Errorf("%+v: %d %q, want 403", in, status, body)
			}
		}
		if after := rdiChanges(t, a); after != before {
			t.Errorf("refused texts changed things: %v → %v", before, after)
		}
		if s := rdiState(t, a, report, r.ID); s != "pending" {
			t.Errorf("a forged YES answered the request: %s", s)
		}
		// The genuine one goes through.
		if reply := rdiReply(t, a, "+12015550131", "YES"); !strings.Contains(reply, "assigned") {
			t.Errorf("signed YES: %q", reply)
		}
	})
}

// Without an SMS token configured the webhook refuses everything (fail closed).
func TestRdiSMSWithoutToken(t *testing.T) {
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			a := rdiOpen(t, dialect, "")
			for _, tok := range []string{"", rdiSMSToken} {
				if status, _ := rdiText(t, a, rdiInbound{From: "+12015550141", Body: "HELP", Token: tok}); status != http.StatusForbidden {
					t.Errorf("token %q: %d, want 403", tok, status)
				}
			}
			if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_inbound_sms"); n != 0 {
				t.Errorf("%d texts recorded", n)
			}
		})
	}
}

// STOP and ALTO end the number's alert subscription and revoke the SMS consent of the
// person holding it, confirmed in the keyword's language; HELP and AYUDA explain the line.
func TestRdiSMSKeywords(t *testing.T) {
	rdiEachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		en, es := "+12015550151", "+12015550152"
		for _, phone := range []string{en, es} {
			p, err := a.People.Create(ctx, rdiSystem, people.PersonInput{GivenName: "Keyword", Phones: []string{phone}, Emails: []string{"k" + phone[8:] + "@example.org"}})
			if err != nil {
				t.Fatal(err)
			}
			if err := a.People.SetConsent(ctx, rdiSystem, p.ID, people.ChannelSMS, people.ConsentGranted); err != nil {
				t.Fatal(err)
			}
			if err := a.Response.Subscribe(ctx, response.SubscribeRequest{Contact: phone, Channel: response.AlertSMS, ZIPs: []string{"10001"}, Language: "es", Consent: true}); err != nil {
				t.Fatalf("subscribe: %v", err)
			}
		}
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_subscribers"); n != 2 {
			t.Fatalf("%d subscribers", n)
		}
		loc := func(lang, key string) string { return a.Catalog.Localizer(lang).T(key) }
		if reply := rdiReply(t, a, en, "Stop"); reply != loc("en", "response_dispatch.sms.stopped") {
			t.Errorf("STOP reply %q", reply)
		}
		if reply := rdiReply(t, a, es, "ALTO"); reply != loc("es", "response_dispatch.sms.stopped") {
			t.Errorf("ALTO reply %q", reply)
		}
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_subscribers"); n != 0 {
			t.Errorf("%d alert subscriptions left after STOP", n)
		}
		for _, phone := range []string{en, es} {
			if n := rdiCount(t, a, `SELECT COUNT(*) FROM consents c JOIN person_phones pp ON pp.person_id = c.person_id
				WHERE pp.phone = ? AND c.channel = 'sms' AND c.status = 'revoked' AND c.method = 'keyword'`, phone); n != 1 {
				t.Errorf("%s: SMS consent not revoked by keyword", phone)
			}
		}
		// A number nobody holds: confirmed all the same.
		if reply := rdiReply(t, a, "+12015550159", "unsubscribe"); reply != loc("en", "response_dispatch.sms.stopped") {
			t.Errorf("unknown STOP reply %q", reply)
		}
		if reply := rdiReply(t, a, en, "HELP"); reply != loc("en", "response_dispatch.sms.help") || !strings.Contains(reply, "STOP") {
			t.Errorf("HELP reply %q", reply)
		}
		if reply := rdiReply(t, a, es, "ayuda"); reply != loc("es", "response_dispatch.sms.help") || !strings.Contains(reply, "ALTO") {
			t.Errorf("AYUDA reply %q", reply)
		}
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_reports"); n != 0 {
			t.Errorf("keywords opened %d reports", n)
		}
	})
}

// Anything else opens a report conversation (intake), a YES from someone with no request
// too, and a provider's retry of the same MessageSid is applied once.
func TestRdiSMSRoutingAndRetries(t *testing.T) {
	rdiEachApp(t, func(t *testing.T, a *app.App) {
		const sid = "SM0123456789abcdef0123456789abcdef"
		first := rdiInbound{From: "+12015550161", Body: "hay agentes de la migra en la calle 5, código 10001", Token: rdiSMSToken, SID: sid}
		status, body := rdiText(t, a, first)
		if status != http.StatusOK || !strings.Contains(body, "<Message>") {
			t.Fatalf("report text: %d %s", status, body)
		}
		if ct := "text/xml"; !strings.Contains(body, "<?xml") {
			t.Errorf("not %s: %s", ct, body)
		}
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_reports"); n != 1 {
			t.Fatalf("%d reports", n)
		}
		messages := rdiCount(t, a, "SELECT COUNT(*) FROM response_messages")
		status, body = rdiText(t, a, first) // the provider retries
		if status != http.StatusOK || body != `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Response/>" {
			t.Errorf("retry: %d %q, want an empty response", status, body)
		}
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_messages"); n != messages {
			t.Errorf("the retry was applied: %d messages, want %d", n, messages)
		}
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_inbound_sms WHERE message_sid = ?", sid); n != 1 {
			t.Errorf("sid kept %d times", n)
		}

		// A YES from someone without a request is a report like any other text.
		rdiReply(t, a, "+12015550162", "yes")
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_reports"); n != 2 {
			t.Errorf("%d reports after a stray YES", n)
		}

		// A responder's retried YES assigns once; a NO from another declines.
		report := rdiReport(t, a, "10001", "2 Test Street")
		x := rdiResponder(t, a, rdiResponderSpec{Name: "Xo", Phone: "+12015550163", ZIPs: []string{"10001"}})
		y := rdiResponder(t, a, rdiResponderSpec{Name: "Ye", Phone: "+12015550164", ZIPs: []string{"10001"}})
		rdiDispatch(t, a, report, 2, x, y)
		yes := rdiInbound{From: "+12015550163", Body: "YES", Token: rdiSMSToken, SID: "SMretry000000000000000000000000001"}
		rdiText(t, a, yes)
		rdiText(t, a, yes)
		if n := rdiCount(t, a, "SELECT assigned FROM response_dispatches WHERE report_id = ?", report); n != 1 {
			t.Errorf("%d assigned after a retried YES", n)
		}
		if reply := rdiReply(t, a, "+12015550164", "No"); !strings.Contains(reply, "someone else") {
			t.Errorf("NO reply %q", reply)
		}
		if s := rdiState(t, a, report, y.ID); s != "declined" {
			t.Errorf("after NO: %s", s)
		}
		// Malformed posts are refused without effect.
		if status, _ := rdiText(t, a, rdiInbound{From: "not a number", Body: "hi", Token: rdiSMSToken}); status != http.StatusBadRequest {
			t.Errorf("bad From: %d", status)
		}
	})
}
