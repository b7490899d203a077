package app_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/response"
)

// The whole rapid-response loop, end to end on one node, on every database: a neighbour
// files a report on the public page → it reaches an open board as a server-sent event →
// the dispatcher sends the nearest responder by SMS (fake Twilio-compatible provider) →
// the responder answers YES through the signed webhook → the dispatcher confirms → an
// alert goes to the subscribers of two ZIP codes, each in their own language, without the
// address → an all clear follows it to the same people. A forged webhook changes nothing.
func TestRapidResponseLoop(t *testing.T) {
	ralEachApp(t, func(t *testing.T, n ralNode) {
		n.start(t)
		ctx := context.Background()
		srv := httptest.NewServer(n.Handler())
		t.Cleanup(srv.Close)
		const address = "1200 Calle Ocho, apt 3"

		// Subscribers in two ZIP codes and two languages, and one elsewhere.
		ralSubscribe(t, n, response.AlertSMS, "+13055550101", "es", "33135")
		ralSubscribe(t, n, response.AlertSMS, "+13055550102", "en", "33130")
		ralSubscribe(t, n, response.AlertSMS, "+12125550103", "en", "10001")
		responder := rdiResponder(t, n.App, rdiResponderSpec{Name: "Marta Responder", Phone: "+13055550150", Lang: "es", ZIPs: []string{"33135"}})

		// A dispatcher's board is open.
		sid := signInAs(t, n.App, auth.RoleDispatcher)
		events := loopSubscribe(t, srv.URL, sid)

		// The public report, in Spanish, without JavaScript (a plain form POST).
		form := url.Values{"kind": {"home"}, "address": {address}, "zip": {"33135"}, "when": {"15m"},
			"agents": {"4"}, "vehicles": {"2"}, "description": {"Agentes tocando la puerta"}}
		res, err := http.Post(srv.URL+"/report?lang=es", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusSeeOther {
			t.Fatalf("public report: %d", res.StatusCode)
		}
		var reportID int64
		select {
		case reportID = <-events:
		case <-time.After(5 * time.Second):
			t.Fatal("the board got no event within 5 s of the report")
		}
		rep, err := n.Response.Report(ctx, ralSystem, reportID)
		if err != nil || rep.ZIP != "33135" || rep.State != response.StateNew {
			t.Fatalf("report %d: %+v %v", reportID, rep, err)
		}

		// Dispatch the nearest responder; the request leaves by SMS without the address.
		props, err := n.Response.Propose(ctx, ralSystem, reportID, 0)
		if err != nil || len(props) == 0 || props[0].Responder.ID != responder.ID {
			t.Fatalf("proposals %+v %v", props, err)
		}
		rdiDispatch(t, n.App, reportID, 1, responder)
		loopEventually(t, func() bool { return len(loopTextsTo(n, "+13055550150")) == 1 })
		if body := loopTextsTo(n, "+13055550150")[0]; strings.Contains(body, "1200") || strings.Contains(body, "Ocho") {
			t.Fatalf("the dispatch SMS carries the address: %q", body)
		}

		// A forged YES changes nothing; the signed one assigns the responder.
		if code := loopText(t, n, "+13055550150", "SI", true); code != http.StatusForbidden {
			t.Fatalf("forged webhook answered %d", code)
		}
		if rdiState(t, n.App, reportID, responder.ID) != string(response.RequestPending) {
			t.Fatal("a forged text changed the dispatch")
		}
		if code := loopText(t, n, "+13055550150", "SI", false); code != http.StatusOK {
			t.Fatalf("signed webhook answered %d", code)
		}
		if st := rdiState(t, n.App, reportID, responder.ID); st != "assigned" && st != "accepted" {
			t.Fatalf("after SI the request is %q", st)
		}

		// Verified and confirmed: the alert goes out, each subscriber in their language.
		for _, st := range []response.State{response.StateVerifying, response.StateConfirmed} {
			if err := n.Response.SetState(ctx, ralSystem, reportID, st, ""); err != nil {
				t.Fatalf("to %s: %v", st, err)
			}
		}
		al, err := n.Response.CreateAlert(ctx, ralSystem, response.AlertRequest{ReportID: reportID, ZIPs: []string{"33135", "33130"},
			BodyEn: "LOOP ALERT: agents reported near {{.Area}}. Know your rights.", BodyEs: "LOOP ALERTA: agentes cerca de {{.Area}}. Conozca sus derechos."})
		if err != nil {
			t.Fatal(err)
		}
		ralWaitDone(t, n.App, al.ID)
		texts := ralTexts(n, "LOOP")
		if got := texts["+13055550101"]; len(got) != 1 || !strings.Contains(got[0], "ALERTA") {
			t.Fatalf("Spanish subscriber got %q", got)
		}
		if got := texts["+13055550102"]; len(got) != 1 || !strings.Contains(got[0], "LOOP ALERT:") {
			t.Fatalf("English subscriber got %q", got)
		}
		if len(texts["+12125550103"]) != 0 {
			t.Fatal("a subscriber of another ZIP code was alerted")
		}
		for _, body := range append(texts["+13055550101"], texts["+13055550102"]...) {
			if strings.Contains(body, "1200") || strings.Contains(body, "Ocho") {
				t.Fatalf("the alert carries the address: %q", body)
			}
		}

		// The all clear follows the first alert to the same two people.
		clear, err := n.Response.CreateAlert(ctx, ralSystem, response.AlertRequest{ParentID: al.ID,
			BodyEn: "LOOP CLEAR: all clear near {{.Area}}.", BodyEs: "LOOP DESPEJADO: todo despejado cerca de {{.Area}}."})
		if err != nil {
			t.Fatal(err)
		}
		ralWaitDone(t, n.App, clear.ID)
		texts = ralTexts(n, "LOOP")
		if len(texts["+13055550101"]) != 2 || !strings.Contains(texts["+13055550101"][1], "DESPEJADO") ||
			len(texts["+13055550102"]) != 2 || !strings.Contains(texts["+13055550102"][1], "CLEAR") || len(texts["+12125550103"]) != 0 {
			t.Fatalf("all clear texts: %q", texts)
		}
	})
}

// loopSubscribe opens the board's event stream with a dispatcher's session and sends each
// report id it announces.
func loopSubscribe(t *testing.T, base, sid string) <-chan int64 {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/response/events", nil)
	req.AddCookie(&http.Cookie{Name: "sid", Value: sid})
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("event stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	out := make(chan int64, 16)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			line := strings.TrimPrefix(sc.Text(), "data: ")
			if rest, ok := strings.CutPrefix(line, `{"report":`); ok {
				if id, err := strconv.ParseInt(strings.TrimSuffix(rest, "}"), 10, 64); err == nil {
					select {
					case out <- id:
					default:
					}
				}
			}
		}
	}()
	return out
}

// loopText posts an inbound SMS to the webhook, signed with the provider's token (or
// forged), and returns the status.
func loopText(t *testing.T, n ralNode, from, body string, forge bool) int {
	t.Helper()
	form := url.Values{"From": {from}, "To": {"+15005550006"}, "Body": {body}, "MessageSid": {"SM" + strconv.FormatInt(time.Now().UnixNano(), 10)}}
	signed := form
	if forge {
		signed = url.Values{"From": {from}, "Body": {"NO"}}
	}
	req := httptest.NewRequest(http.MethodPost, "/webhooks/sms", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", response.SignSMS(n.sms.Token, n.Config.BaseURL+"/webhooks/sms", signed))
	rec := httptest.NewRecorder()
	n.Handler().ServeHTTP(rec, req)
	return rec.Code
}

// loopTextsTo is what the fake provider received for one number.
func loopTextsTo(n ralNode, to string) []string {
	var out []string
	for _, m := range n.sms.Messages() {
		if m.To == to {
			out = append(out, m.Body)
		}
	}
	return out
}

// loopEventually waits up to 20 s for ok.
func loopEventually(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
