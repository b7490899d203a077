package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/config"
	"solidarity/internal/db"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/response"
	"solidarity/internal/testkit"
)

// Dispatch tests run on a node whose SMS provider token and base URL are set (inbound
// texts are signed over them), with its vault unsealed.
const (
	rdiSMSToken = "rdi-test-token-0123456789abcdef"
	rdiBase     = "https://rr.example.org"
)

// rdiSystem is the actor tests use to set things up through the services.
var rdiSystem = auth.System("test")

// rdiEachApp runs fn on a fresh node of every dialect, SMS token set and vault unsealed.
func rdiEachApp(t *testing.T, fn func(t *testing.T, a *app.App)) {
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			fn(t, rdiOpen(t, dialect, rdiSMSToken))
		})
	}
}

// rdiOpen opens a node of dialect with the SMS token (none when "") and an unsealed vault.
func rdiOpen(t testing.TB, dialect db.Dialect, token string) *app.App {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.BaseURL = rdiBase
	cfg.SMSToken = token
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
	return a
}

// rdiClock fixes the node's clock at t (the database's now, which the services use).
func rdiClock(a *app.App, at time.Time) { a.DB.Clock = func() time.Time { return at } }

var rdiSeq atomic.Int64

// rdiPerson adds a person with an e-mail address, a phone (when given) and a language,
// and returns their id.
func rdiPerson(t testing.TB, a *app.App, name, email, phone, lang string) int64 {
	t.Helper()
	in := people.PersonInput{GivenName: name, Emails: []string{email}, Language: lang}
	if phone != "" {
		in.Phones = []string{phone}
	}
	p, err := a.People.Create(context.Background(), rdiSystem, in)
	if err != nil {
		t.Fatalf("person %s: %v", name, err)
	}
	return p.ID
}

// rdiResponderSpec is a responder to add.
type rdiResponderSpec struct {
	Name, Phone, Lang string
	ZIPs, Counties    []string
	Channel           response.ResponderChannel
	Off               bool // not on call
	Hours             [7]string
	Languages         []string
}

// rdiResponder adds a person and makes them a responder; it returns the responder.
func rdiResponder(t testing.TB, a *app.App, s rdiResponderSpec) response.Responder {
	t.Helper()
	n := rdiSeq.Add(1)
	if s.Lang == "" {
		s.Lang = "en"
	}
	if s.Channel == "" {
		s.Channel = response.ResponderSMS
	}
	if s.Languages == nil {
		s.Languages = []string{s.Lang}
	}
	email := strings.ToLower(strings.ReplaceAll(s.Name, " ", ".")) + "." + rdiItoa(n) + "@responders.example.org"
	pid := rdiPerson(t, a, s.Name, email, s.Phone, s.Lang)
	r, err := a.Response.AddResponder(context.Background(), rdiSystem, response.ResponderInput{
		Person: rdiItoa(pid), Languages: s.Languages, ZIPs: s.ZIPs, Counties: s.Counties, OnCall: !s.Off,
		Hours: s.Hours, TimeZone: "America/New_York", Channel: s.Channel,
	})
	if err != nil {
		t.Fatalf("responder %s: %v", s.Name, err)
	}
	return r
}

func rdiItoa(n int64) string { return strconv.FormatInt(n, 10) }

// rdiReport files a report through the hotline console's service, with an exact address
// that must never leave in a dispatch message, and returns its id.
func rdiReport(t testing.TB, a *app.App, zip, address string) int64 {
	t.Helper()
	r, err := a.Response.TakeCall(context.Background(), rdiSystem, response.ReportInput{
		Kind: response.KindHome, Address: address, ZIP: zip, Agents: 3, Vehicles: 2,
		Description: "Agents knocking at the door of " + address, Language: "es",
	})
	if err != nil {
		t.Fatalf("report in %s: %v", zip, err)
	}
	return r.ID
}

// rdiDispatch sends the responders to a report, needing needed of them.
func rdiDispatch(t testing.TB, a *app.App, reportID int64, needed int, rs ...response.Responder) {
	t.Helper()
	in := response.DispatchInput{Needed: needed}
	for _, r := range rs {
		in.Responders = append(in.Responders, r.ID)
	}
	if _, err := a.Response.Dispatch(context.Background(), rdiSystem, reportID, in); err != nil {
		t.Fatalf("dispatch: %v", err)
	}
}

// rdiMessages returns the dispatch messages in the outbox, oldest first.
func rdiMessages(t testing.TB, a *app.App) []notify.Delivery {
	t.Helper()
	list, err := a.Notify.Outbox(context.Background(), notify.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var out []notify.Delivery
	for i := len(list.Deliveries) - 1; i >= 0; i-- {
		if d := list.Deliveries[i]; d.Purpose == "response.dispatch" {
			out = append(out, d)
		}
	}
	return out
}

// rdiMessagesTo returns the dispatch messages to one recipient, oldest first.
func rdiMessagesTo(t testing.TB, a *app.App, to string) []notify.Delivery {
	t.Helper()
	var out []notify.Delivery
	for _, d := range rdiMessages(t, a) {
		if d.To == to {
			out = append(out, d)
		}
	}
	return out
}

var rdiLinkRe = regexp.MustCompile(`https?://[^\s"<>]+/respond/([A-Za-z0-9_-]{43})`)

// rdiTokenIn returns the one-tap link token in a message.
func rdiTokenIn(t testing.TB, d notify.Delivery) string {
	t.Helper()
	m := rdiLinkRe.FindStringSubmatch(d.Text)
	if m == nil {
		t.Fatalf("no one-tap link in %q", d.Text)
	}
	if !strings.HasPrefix(m[0], rdiBase+"/respond/") {
		t.Errorf("link %q is not under the base URL", m[0])
	}
	return m[1]
}

// rdiInbound is one inbound text as the provider would post it.
type rdiInbound struct {
	From, Body, SID string
	// Token signs it; "" sends no signature at all.
	Token string
	// Forge changes the signature after signing.
	Forge bool
}

var rdiSIDs atomic.Int64

// rdiText posts an inbound text to the webhook and returns the status and the body.
func rdiText(t testing.TB, a *app.App, in rdiInbound) (int, string) {
	t.Helper()
	if in.SID == "" {
		in.SID = "SM" + strings.Repeat("0", 24) + rdiItoa(rdiSIDs.Add(1)+100000)
	}
	form := url.Values{"From": {in.From}, "To": {"+12025550100"}, "Body": {in.Body}, "MessageSid": {in.SID},
		"AccountSid": {"AC0123"}, "NumMedia": {"0"}}
	req := httptest.NewRequest(http.MethodPost, "/webhooks/sms", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if in.Token != "" {
		sig := response.SignSMS(in.Token, rdiBase+"/webhooks/sms", form)
		if in.Forge {
			sig = response.SignSMS(in.Token, rdiBase+"/webhooks/sms", url.Values{"Body": {"something else"}})
		}
		req.Header.Set("X-Twilio-Signature", sig)
	}
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// rdiReply posts a correctly signed text and fails unless it is answered 200 in TwiML; it
// returns the reply text ("" for an empty response).
func rdiReply(t testing.TB, a *app.App, from, body string) string {
	t.Helper()
	status, out := rdiText(t, a, rdiInbound{From: from, Body: body, Token: rdiSMSToken})
	if status != http.StatusOK || !strings.Contains(out, "<Response") {
		t.Fatalf("text %q: %d %s", body, status, out)
	}
	m := regexp.MustCompile(`(?s)<Message>(.*)</Message>`).FindStringSubmatch(out)
	if m == nil {
		return ""
	}
	return rdiUnescape(m[1])
}

func rdiUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&#xA;", "\n", "&#x9;", "\t", "&#xD;", "\r").Replace(s)
}

// rdiCount runs a COUNT query.
func rdiCount(t testing.TB, a *app.App, query string, args ...any) int {
	t.Helper()
	var n int
	if err := a.DB.QueryRowContext(context.Background(), db.Rebind(query), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// rdiState returns the state of a responder's request on a report.
func rdiState(t testing.TB, a *app.App, reportID, responderID int64) string {
	t.Helper()
	var s string
	if err := a.DB.QueryRowContext(context.Background(), db.Rebind("SELECT state FROM response_dispatch_requests WHERE report_id = ? AND responder_id = ?"),
		reportID, responderID).Scan(&s); err != nil {
		t.Fatalf("state of %d on %d: %v", responderID, reportID, err)
	}
	return s
}

// rdiPage fetches a page as an anonymous visitor (a responder's phone), in a language.
func rdiPage(t testing.TB, a *app.App, method, path string, form url.Values, lang string) (int, http.Header, string) {
	t.Helper()
	var req *http.Request
	if method == http.MethodPost {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, req)
	return rec.Code, rec.Header(), rec.Body.String()
}
