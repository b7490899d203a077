package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/notify"
	"solidarity/internal/response"
)

// A dispatch needing two: each responder gets a message in their language by their
// channel, with the area and a one-tap link and never the address; the first two who
// accept (by SMS "Sí" and by the link) are assigned, the ones still waiting are told they
// are not needed, a later YES is told the same, and only an assigned responder's page
// shows the address, each read audited.
func TestRdiFirstAcceptsAssigned(t *testing.T) {
	rdiEachApp(t, func(t *testing.T, a *app.App) {
		const address = "12 Elm Street, Apartment 4B"
		report := rdiReport(t, a, "10001", address)
		ana := rdiResponder(t, a, rdiResponderSpec{Name: "Ana", Phone: "+12015550101", Lang: "es", ZIPs: []string{"10001"}})
		ben := rdiResponder(t, a, rdiResponderSpec{Name: "Ben", Phone: "+12015550102", ZIPs: []string{"10011"}})
		cora := rdiResponder(t, a, rdiResponderSpec{Name: "Cora", ZIPs: []string{"10018"}, Channel: response.ResponderEmail})
		dan := rdiResponder(t, a, rdiResponderSpec{Name: "Dan", Phone: "+12015550104", ZIPs: []string{"11201"}})
		rdiDispatch(t, a, report, 2, ana, ben, cora, dan)

		msgs := rdiMessages(t, a)
		if len(msgs) != 4 {
			t.Fatalf("%d dispatch messages, want 4", len(msgs))
		}
		for _, d := range msgs {
			for _, secret := range []string{"Elm Street", "Apartment", "knocking"} {
				if strings.Contains(d.Text, secret) || strings.Contains(d.Subject, secret) {
					t.Errorf("message to %s carries %q: %q", d.To, secret, d.Text)
				}
			}
			if !strings.Contains(d.Text, "10001") || !strings.Contains(d.Text, "New York") {
				t.Errorf("message to %s lacks the area: %q", d.To, d.Text)
			}
			rdiTokenIn(t, d)
		}
		anaMsg := rdiMessagesTo(t, a, "+12015550101")
		if len(anaMsg) != 1 || anaMsg[0].Channel != notify.ChannelSMS || !strings.Contains(anaMsg[0].Text, "Responda SÍ o NO") {
			t.Errorf("Ana's request is not a Spanish SMS: %+v", anaMsg)
		}
		if m := rdiMessagesTo(t, a, "+12015550102"); len(m) != 1 || !strings.Contains(m[0].Text, "Reply YES or NO") {
			t.Errorf("Ben's request: %+v", m)
		}
		var coraMail notify.Delivery
		for _, d := range msgs {
			if d.Channel == notify.ChannelEmail {
				coraMail = d
			}
		}
		if coraMail.Subject == "" || !strings.Contains(coraMail.Subject, "10001") {
			t.Errorf("Cora's mail: %+v", coraMail)
		}

		// Ana answers "Sí" by text message: assigned, told in Spanish.
		reply := rdiReply(t, a, "+12015550101", "Sí")
		if !strings.Contains(reply, "queda asignado") || strings.Contains(reply, "Elm") {
			t.Errorf("Ana's reply: %q", reply)
		}
		if s := rdiState(t, a, report, ana.ID); s != "assigned" {
			t.Errorf("Ana is %s", s)
		}

		// Ben taps the link's accept button: the second and last place.
		benToken := rdiTokenIn(t, rdiMessagesTo(t, a, "+12015550102")[0])
		status, h, _ := rdiPage(t, a, http.MethodPost, "/respond/"+benToken, url.Values{"answer": {"accept"}}, "")
		if status != http.StatusSeeOther || h.Get("Location") != "/respond/"+benToken+"?done=assigned" {
			t.Fatalf("Ben's accept: %d %q", status, h.Get("Location"))
		}
		if s := rdiState(t, a, report, ben.ID); s != "assigned" {
			t.Errorf("Ben is %s", s)
		}

		// The need is filled: Cora (e-mail) and Dan (SMS) are stood down and told.
		for _, r := range []response.Responder{cora, dan} {
			if s := rdiState(t, a, report, r.ID); s != "not_needed" {
				t.Errorf("%s is %s, want not_needed", r.Name, s)
			}
		}
		if m := rdiMessagesTo(t, a, "+12015550104"); len(m) != 2 || !strings.Contains(m[1].Text, "not needed") {
			t.Errorf("Dan was not told he is not needed: %+v", m)
		}
		if m := rdiMessagesTo(t, a, coraMail.To); len(m) != 2 || !strings.Contains(m[1].Subject, "Not needed") {
			t.Errorf("Cora was not told she is not needed: %+v", m)
		}
		if n := len(rdiMessagesTo(t, a, "+12015550101")); n != 1 {
			t.Errorf("Ana, assigned, got %d messages", n)
		}

		// Dan answers YES anyway: told he is not needed; nothing changes.
		if reply := rdiReply(t, a, "+12015550104", "YES"); !strings.Contains(reply, "not needed") {
			t.Errorf("Dan's late YES: %q", reply)
		}
		// Ana repeats herself: still assigned, still two assigned.
		if reply := rdiReply(t, a, "+12015550101", "si"); !strings.Contains(reply, "queda asignado") {
			t.Errorf("Ana's second answer: %q", reply)
		}
		if n := rdiCount(t, a, "SELECT assigned FROM response_dispatches WHERE report_id = ?", report); n != 2 {
			t.Errorf("%d assigned, want 2", n)
		}
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_dispatches WHERE report_id = ? AND filled_at IS NOT NULL", report); n != 1 {
			t.Error("the dispatch is not marked filled")
		}

		// Only the assigned see the address.
		coraToken := rdiTokenIn(t, rdiMessagesTo(t, a, coraMail.To)[0])
		_, _, page := rdiPage(t, a, http.MethodGet, "/respond/"+coraToken, nil, "en")
		if strings.Contains(page, "Elm") || !strings.Contains(page, en(a, "response_dispatch.respond.not_needed")) {
			t.Errorf("Cora's page shows the address or not the stand-down")
		}
		before := rdiAuditCount(t, a, "response.report.read_location")
		status, _, page = rdiPage(t, a, http.MethodGet, "/respond/"+benToken, nil, "en")
		if status != http.StatusOK || !strings.Contains(page, "12 Elm Street, Apartment 4B") || !strings.Contains(page, "knocking at the door") {
			t.Fatalf("Ben's page (%d) lacks the address or the reporter's words", status)
		}
		if n := rdiAuditCount(t, a, "response.report.read_location"); n != before+1 {
			t.Errorf("address reads audited: %d, want %d", n, before+1)
		}
	})
}

// rdiAuditCount counts the audit entries of an action.
func rdiAuditCount(t testing.TB, a *app.App, action string) int {
	t.Helper()
	return rdiCount(t, a, "SELECT COUNT(*) FROM audit_log WHERE action = ?", action)
}

// Many responders accepting the last place at the same moment: exactly the number needed
// are assigned, whatever the interleaving (PostgreSQL runs them truly at once).
func TestRdiConcurrentAccepts(t *testing.T) {
	rdiEachApp(t, func(t *testing.T, a *app.App) {
		report := rdiReport(t, a, "10001", "3 Race Street")
		var rs []response.Responder
		for i := 0; i < 8; i++ {
			rs = append(rs, rdiResponder(t, a, rdiResponderSpec{Name: "Racer", Phone: "+1201555020" + rdiItoa(int64(i)), ZIPs: []string{"10001"}}))
		}
		rdiDispatch(t, a, report, 2, rs...)
		var tokens []string
		for i := range rs {
			tokens = append(tokens, rdiTokenIn(t, rdiMessagesTo(t, a, "+1201555020"+rdiItoa(int64(i)))[0]))
		}
		outcomes := make(chan response.AnswerOutcome, len(tokens))
		errs := make(chan error, len(tokens))
		for _, tok := range tokens {
			go func() {
				out, err := a.Response.AnswerByLink(context.Background(), tok, true)
				outcomes <- out
				errs <- err
			}()
		}
		assigned := 0
		for range tokens {
			if err := <-errs; err != nil {
				t.Errorf("accept: %v", err)
			}
			if <-outcomes == response.AnswerAssigned {
				assigned++
			}
		}
		if assigned != 2 {
			t.Errorf("%d told they are assigned, want 2", assigned)
		}
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_dispatch_requests WHERE report_id = ? AND state = 'assigned'", report); n != 2 {
			t.Errorf("%d assigned in the database, want 2", n)
		}
		if n := rdiCount(t, a, "SELECT assigned FROM response_dispatches WHERE report_id = ?", report); n != 2 {
			t.Errorf("dispatch counts %d assigned", n)
		}
	})
}
