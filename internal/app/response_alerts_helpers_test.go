package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/config"
	"solidarity/internal/db"
	"solidarity/internal/notify"
	"solidarity/internal/response"
	"solidarity/internal/testkit"
)

// ralSystem is the actor the alert tests use to set things up and look behind the pages.
var ralSystem = auth.System("test")

// ralNode is a node for the alert tests: an unsealed vault, a fake SMS provider, and (when
// started) its jobs worked.
type ralNode struct {
	*app.App
	sms *testkit.SMSServer
}

// ralEachApp runs fn on a fresh node of every dialect with an unsealed vault and a fake
// Twilio-compatible provider (e-mail goes to the outbox).
func ralEachApp(t *testing.T, fn func(t *testing.T, n ralNode)) {
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			fn(t, ralOpen(t, dialect))
		})
	}
}

func ralOpen(t *testing.T, dialect db.Dialect) ralNode {
	t.Helper()
	sms := testkit.NewSMSServer(t)
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.BaseURL = "https://alerts.example.org"
	cfg.SMSURL, cfg.SMSAccount, cfg.SMSToken, cfg.SMSFrom = sms.URL, sms.Account, sms.Token, "+15005550006"
	cfg.SMSRate = 200
	if dialect == db.Postgres {
		cfg.DatabaseURL = testkit.FreshSchema(t)
	}
	a, err := app.Open(context.Background(), cfg, testkit.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if err := a.Vault.InitEphemeral(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ralNode{App: a, sms: sms}
}

// start works the node's jobs until the test ends.
func (n ralNode) start(t *testing.T) {
	t.Helper()
	n.Jobs.PollInterval = 50 * time.Millisecond
	if err := n.Jobs.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = n.Jobs.Stop(ctx)
	})
}

// ralSubscribe signs a contact up through the service (and confirms an e-mail).
func ralSubscribe(t *testing.T, n ralNode, ch response.AlertChannel, contact, lang string, zips ...string) {
	t.Helper()
	ctx := context.Background()
	if err := n.Response.Subscribe(ctx, response.SubscribeRequest{Contact: contact, Channel: ch, ZIPs: zips, Language: lang, Consent: true}); err != nil {
		t.Fatalf("subscribe %s: %v", contact, err)
	}
	if ch == response.AlertEmail {
		token := strings.TrimPrefix(ralMailedPath(t, n.App, contact, response.SubscribeConfirmPath), response.SubscribeConfirmPath)
		if _, err := n.Response.ConfirmSubscription(ctx, token); err != nil {
			t.Fatal(err)
		}
	}
}

var ralLinkRe = regexp.MustCompile(`https?://[^\s"<>]+`)

// ralMailedPath returns the path of the newest link under prefix in the messages to
// contact kept in the outbox (e-mail, or SMS when no provider is set).
func ralMailedPath(t *testing.T, a *app.App, contact, prefix string) string {
	t.Helper()
	list, err := a.Notify.Deliveries(context.Background(), notify.Filter{}, notify.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range list.Deliveries {
		if d.To != contact {
			continue
		}
		for _, l := range ralLinkRe.FindAllString(d.Text, -1) {
			if i := strings.Index(l, prefix); i >= 0 {
				return l[i:]
			}
		}
	}
	t.Fatalf("no %s link for %s", prefix, contact)
	return ""
}

// ralReport takes a report by the hotline console's service and confirms it, as a
// dispatcher would after verification; it returns its id.
func ralReport(t *testing.T, a *app.App, zip, address string, confirm bool) int64 {
	t.Helper()
	ctx := context.Background()
	r, err := a.Response.TakeCall(ctx, ralSystem, response.ReportInput{Kind: response.KindHome, Address: address, ZIP: zip,
		Agents: 3, Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	if confirm {
		for _, st := range []response.State{response.StateVerifying, response.StateConfirmed} {
			if err := a.Response.SetState(ctx, ralSystem, r.ID, st, ""); err != nil {
				t.Fatalf("report %d to %s: %v", r.ID, st, err)
			}
		}
	}
	return r.ID
}

// ralWaitDone waits until the alert's send is done and returns it.
func ralWaitDone(t *testing.T, a *app.App, id int64) response.Alert {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		al, err := a.Response.Alert(context.Background(), ralSystem, id)
		if err != nil {
			t.Fatal(err)
		}
		if al.Status == response.AlertDone {
			return al
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("alert %d not sent in 30 s", id)
	return response.Alert{}
}

// ralTexts returns the bodies of the fake provider's messages to each number that hold
// marker.
func ralTexts(n ralNode, marker string) map[string][]string {
	out := map[string][]string{}
	for _, m := range n.sms.Messages() {
		if strings.Contains(m.Body, marker) {
			out[m.To] = append(out[m.To], m.Body)
		}
	}
	return out
}

// ralSubscriberCount is how many subscriptions exist.
func ralSubscriberCount(t *testing.T, a *app.App) int {
	t.Helper()
	var c int
	if err := a.DB.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM response_subscribers").Scan(&c); err != nil {
		t.Fatal(err)
	}
	return c
}

func ralPath(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// ralEventually waits up to 20 s for ok.
func ralEventually(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 20 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ralJSONRequest builds a request with a JSON body.
func ralJSONRequest(method, path, body string) *http.Request {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}
