package demo_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/config"
	"solidarity/internal/demo"
	"solidarity/internal/giving"
	"solidarity/internal/notify"
	"solidarity/internal/response"
	"solidarity/internal/testkit"
)

// demoOpen starts a node as `serve --demo` does (the demo is SQLite-only), without
// listening.
func demoOpen(t *testing.T) *app.App {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Demo = true
	a, err := app.Open(context.Background(), cfg, testkit.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// demoSignIn signs in with the demo account of role and the demo password, enrolling an
// authenticator app when the role requires two-factor, and returns the session token.
func demoSignIn(t *testing.T, a *app.App, role auth.Role) string {
	t.Helper()
	ctx := context.Background()
	var email string
	for _, acc := range demo.Accounts {
		if acc.Role == role {
			email = acc.Email
		}
	}
	g, err := a.Auth.SignIn(ctx, email, demo.Password, auth.Client{Key: "demo-test-" + string(role)})
	if err != nil {
		t.Fatalf("sign in %s: %v", role, err)
	}
	if g.Stage == auth.StageFull {
		return g.Token
	}
	setup, err := a.Auth.BeginTOTP(ctx, g.Token)
	if err != nil {
		t.Fatalf("begin totp %s: %v", role, err)
	}
	code, err := totp.GenerateCode(setup.Secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	enrol, err := a.Auth.ConfirmTOTP(ctx, g.Token, code)
	if err != nil || enrol.SignedIn == nil {
		t.Fatalf("confirm totp %s: %v %+v", role, err, enrol)
	}
	return enrol.SignedIn.Token
}

// demoGet requests path with the session token (none when ""), and returns the status and
// body.
func demoGet(t *testing.T, a *app.App, token, path string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.AddCookie(&http.Cookie{Name: "sid", Value: token})
	}
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body)
}

// The demo shows giving populated: published pages in both languages, funds, receipt
// settings, and a year of offline gifts in every method that the reports add up.
func TestDemoGiving(t *testing.T) {
	a := demoOpen(t)
	ctx := context.Background()
	sys := auth.System("test")

	for _, c := range []struct{ path, want string }{
		{"/give/bail-fund", "Bring our neighbors home"},
		{"/give/bail-fund?lang=es", "Traigamos a casa a nuestros vecinos"},
		{"/give/sustain-the-network", "Sustain the network"},
		{"/give/sustain-the-network?lang=es", "Sostenga la red"},
	} {
		code, body := demoGet(t, a, "", c.path)
		if code != http.StatusOK || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d, title %q shown: %v", c.path, code, c.want, strings.Contains(body, c.want))
		}
	}
	page, err := a.Giving.PageBySlug(ctx, auth.Public(), "bail-fund")
	if err != nil || page.GoalCents != 2_500_000 || page.FundID == 0 {
		t.Errorf("bail fund page: %+v %v", page.Page, err)
	}

	funds, err := a.Giving.Funds(ctx, sys, true)
	if err != nil || len(funds) != 2 {
		t.Fatalf("funds: %+v %v", funds, err)
	}
	st, err := a.Giving.Settings(ctx, sys)
	if err != nil || st.LegalName != "Solidarity Demo Network (invented)" || st.TaxStatementEn == "" || st.TaxStatementEs == "" {
		t.Errorf("settings: %+v %v", st, err)
	}

	r, err := a.Giving.Report(ctx, sys, giving.ReportQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total.Count != 30 || r.Total.NetCents() <= 0 || r.Total.RefundedCents <= 0 {
		t.Errorf("report total: %+v", r.Total)
	}
	if len(r.ByMethod) != len(giving.OfflineMethods) || len(r.ByFund) != 2 {
		t.Errorf("report covers %d methods and %d funds, want %d and 2", len(r.ByMethod), len(r.ByFund), len(giving.OfflineMethods))
	}
	months := 0
	for _, b := range r.Series {
		if b.Count > 0 {
			months++
		}
	}
	if months < 10 {
		t.Errorf("gifts fall in %d months of the chart, want them spread over the year", months)
	}

	organizer := demoSignIn(t, a, auth.RoleOrganizer)
	code, body := demoGet(t, a, organizer, "/giving/reports")
	if code != http.StatusOK || !strings.Contains(body, r.Total.Net()) || !strings.Contains(body, "<svg") {
		t.Errorf("/giving/reports as the demo organizer: %d, net %s shown: %v, chart: %v",
			code, r.Total.Net(), strings.Contains(body, r.Total.Net()), strings.Contains(body, "<svg"))
	}
}

// The demo shows rapid response populated: reports in every state, responders on call,
// subscribers in both languages and channels, templates and follow-up tasks; and no alert
// was created.
func TestDemoResponse(t *testing.T) {
	a := demoOpen(t)
	ctx := context.Background()
	sys := auth.System("test")

	board, err := a.Response.Board(ctx, sys, response.BoardFilter{})
	if err != nil {
		t.Fatal(err)
	}
	states := map[response.State]int{}
	for _, r := range board {
		states[r.State]++
	}
	for _, st := range []response.State{response.StateNew, response.StateVerifying, response.StateConfirmed, response.StateFalseAlarm} {
		if states[st] != 1 {
			t.Errorf("the board has %d reports %s, want 1 (%v)", states[st], st, states)
		}
	}
	closed, err := a.Response.Board(ctx, sys, response.BoardFilter{State: response.StateClosed})
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]bool{}
	for _, r := range closed {
		outcomes[r.Outcome] = true
	}
	if len(closed) != 2 || !outcomes[string(response.OutcomeDetained)] || !outcomes[string(response.OutcomeNotFound)] {
		t.Errorf("closed reports: %d, outcomes %v", len(closed), outcomes)
	}

	dispatcher := demoSignIn(t, a, auth.RoleDispatcher)
	code, body := demoGet(t, a, dispatcher, "/response")
	if code != http.StatusOK {
		t.Fatalf("/response as the demo dispatcher: %d", code)
	}
	for _, r := range board {
		if !strings.Contains(body, fmt.Sprintf(`id="report-%d"`, r.ID)) {
			t.Errorf("the board page does not list open report %d (%s)", r.ID, r.State)
		}
	}

	var confirmed response.Report
	for _, r := range board {
		if r.State == response.StateConfirmed {
			confirmed = r
		}
	}
	d, err := a.Response.Detail(ctx, sys, confirmed.ID)
	if err != nil {
		t.Fatal(err)
	}
	done := 0
	for _, task := range d.Tasks {
		if task.Done() {
			done++
		}
	}
	if len(d.Tasks) != 3 || done != 1 || d.Address == "" || len(d.Checks) == 0 {
		t.Errorf("confirmed report: %d tasks (%d done), address set: %v, %d checks", len(d.Tasks), done, d.Address != "", len(d.Checks))
	}
	if code, _ := demoGet(t, a, dispatcher, fmt.Sprintf("/response/reports/%d", confirmed.ID)); code != http.StatusOK {
		t.Errorf("the confirmed report's page: %d", code)
	}

	responders, err := a.Response.Responders(ctx, sys)
	if err != nil {
		t.Fatal(err)
	}
	onCall, linked := 0, 0
	for _, r := range responders {
		if r.OnCall {
			onCall++
		}
		if r.AccountID != 0 {
			linked++
		}
		if len(r.ZIPs) == 0 || len(r.Languages) == 0 || !r.Reachable() {
			t.Errorf("responder %s: zones %v, languages %v, reachable %v", r.Name, r.ZIPs, r.Languages, r.Reachable())
		}
	}
	if len(responders) < 4 || len(responders) > 6 || onCall < 4 || linked != 1 {
		t.Errorf("%d responders, %d on call, %d linked to an account", len(responders), onCall, linked)
	}

	templates, err := a.Response.AlertTemplates(ctx, sys)
	if err != nil || len(templates) != 2 || templates[0].Kind == templates[1].Kind {
		t.Errorf("templates: %+v %v", templates, err)
	}
	// The confirmed report (90001) could be alerted to one SMS subscriber in Spanish and one
	// confirmed e-mail subscriber in English.
	preview, err := a.Response.PreviewAlert(ctx, sys, response.AlertRequest{ReportID: confirmed.ID, ZIPs: []string{confirmed.ZIP}, TemplateID: templates[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if preview.Audience["sms.es"] != 1 || preview.Audience["email.en"] != 1 || preview.Recipients != 2 {
		t.Errorf("alert audience for %s: %v (%d)", confirmed.ZIP, preview.Audience, preview.Recipients)
	}
	alerts, err := a.Response.Alerts(ctx, sys, response.AlertQuery{})
	if err != nil || len(alerts) != 0 {
		t.Errorf("the demo created alerts: %d %v", len(alerts), err)
	}
}

// Every message the demo queued went to the outbox, to an invented contact: a .invalid
// address or a 555-01xx number, reserved for fiction.
func TestDemoContactsAreInvented(t *testing.T) {
	a := demoOpen(t)
	box, err := a.Notify.Outbox(context.Background(), notify.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if box.Total == 0 {
		t.Fatal("the demo queued no message (receipts, subscription confirmations)")
	}
	fiction := regexp.MustCompile(`^\+1[0-9]{3}55501[0-9]{2}$`)
	for _, m := range box.Deliveries {
		switch m.Channel {
		case notify.ChannelEmail:
			if !strings.HasSuffix(m.To, ".invalid") {
				t.Errorf("mail %s to %q", m.Purpose, m.To)
			}
		case notify.ChannelSMS:
			if !fiction.MatchString(m.To) {
				t.Errorf("SMS %s to %q", m.Purpose, m.To)
			}
		}
	}
}

// BenchmarkDemoLoad measures opening a demo node: migrations and the whole demo network.
func BenchmarkDemoLoad(b *testing.B) {
	for b.Loop() {
		cfg := config.Default()
		cfg.DataDir = b.TempDir()
		cfg.Demo = true
		a, err := app.Open(context.Background(), cfg, testkit.Logger())
		if err != nil {
			b.Fatal(err)
		}
		a.Close()
	}
}
