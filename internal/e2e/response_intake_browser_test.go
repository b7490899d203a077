package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	rapid "solidarity/internal/response"
	"solidarity/internal/testkit"
)

// rinBrowserToken creates a dispatcher, enrols an authenticator app through the service
// and returns a signed-in session token; it also unseals the node's vault (a throwaway key).
func rinBrowserToken(t *testing.T, a *app.App) string {
	t.Helper()
	ctx := context.Background()
	if err := a.Vault.InitEphemeral(ctx); err != nil {
		t.Fatal(err)
	}
	const email, password = "dora@example.org", "lanterns guide the night harbor"
	if _, err := a.Auth.AdminCreateUser(ctx, email, "Dora Despacho", auth.RoleDispatcher, password); err != nil {
		t.Fatal(err)
	}
	g, err := a.Auth.SignIn(ctx, email, password, auth.Client{Key: "e2e-dispatcher"})
	if err != nil {
		t.Fatal(err)
	}
	setup, err := a.Auth.BeginTOTP(ctx, g.Token)
	if err != nil {
		t.Fatal(err)
	}
	code, err := totp.GenerateCode(setup.Secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	enrol, err := a.Auth.ConfirmTOTP(ctx, g.Token, code)
	if err != nil || enrol.SignedIn == nil {
		t.Fatalf("enrol TOTP: %v %+v", err, enrol)
	}
	return enrol.SignedIn.Token
}

// rinWait polls a JavaScript condition until it is true, failing after within.
func rinWait(t *testing.T, ctx context.Context, what, cond string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: not true after %v: %s", what, within, cond)
}

// A neighbour files a report in Spanish with JavaScript off; a dispatcher's board, open in
// another browser context with JavaScript on, shows it without a reload, marked as new and
// announced to screen readers.
func TestRinReportInSpanishReachesLiveBoard(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		es := a.Catalog.Localizer("es")
		board := adminBrowserSession(t, browser, baseURL, rinBrowserToken(t, a), testkit.SessionOptions{})
		open(t, board, baseURL+"/response?lang=es")
		rinWait(t, board, "the board goes live", `document.getElementById("board-status").classList.contains("board-status-live")`, 10*time.Second)
		if got := eval[int](t, board, `document.querySelectorAll("#board-rows tr").length`); got != 0 {
			t.Fatalf("board starts with %d rows", got)
		}
		if !eval[bool](t, board, `!document.getElementById("board-sound").hidden`) {
			t.Error("the sound switch stays hidden with JavaScript on")
		}

		reporter := testkit.BrowserSession(t, browser, testkit.SessionOptions{NoJavaScript: true})
		open(t, reporter, baseURL+"/report?lang=es")
		if got := text(t, reporter, "h1"); got != es.T("response_intake.report.title") {
			t.Fatalf("report heading %q", got)
		}
		if err := chromedp.Do(reporter, chromedp.Click(chromedp.CSS("#kind-workplace"))); err != nil {
			t.Fatal(err)
		}
		typeInto(t, reporter, "#address", "Bodega de la calle Falsa 123")
		typeInto(t, reporter, "#zip", "78744")
		if err := chromedp.Do(reporter, chromedp.Click(chromedp.CSS("#when-15m"))); err != nil {
			t.Fatal(err)
		}
		typeInto(t, reporter, "#agents", "5")
		typeInto(t, reporter, "#vehicles", "2")
		typeInto(t, reporter, "#attire", "chalecos verdes")
		typeInto(t, reporter, "#description", "Están revisando papeles en la entrada")
		sent := time.Now()
		submit(t, reporter, `form[action="/report"]`, 200)
		if got := text(t, reporter, "h1"); got != es.T("response_intake.thanks.title") {
			t.Fatalf("after sending, heading %q", got)
		}

		rinWait(t, board, "the report appears on the board", `document.querySelectorAll("#board-rows tr.board-new").length === 1`, 5*time.Second)
		t.Logf("on the board %v after the form was sent (the answer is held to a floor of 250 ms)", time.Since(sent))
		list, err := a.Response.Board(context.Background(), auth.System("e2e"), rapid.BoardFilter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("board: %v %+v", err, list)
		}
		rep := list[0]
		if rep.Language != "es" || rep.Kind != rapid.KindWorkplace || rep.Agents != 5 || rep.Source != rapid.SourceWeb {
			t.Errorf("stored report = %+v", rep)
		}
		row := text(t, board, "#report-"+strconv.FormatInt(rep.ID, 10))
		for _, want := range []string{"78744", es.T("response.kind_workplace"), es.T("response.state.new")} {
			if !strings.Contains(row, want) {
				t.Errorf("row %q lacks %q", row, want)
			}
		}
		if got := text(t, board, "#board-n"); got != "1" {
			t.Errorf("count %q, want 1", got)
		}
		if got, want := eval[string](t, board, `document.getElementById("board-live").textContent`),
			es.T("response.board.announce", map[string]any{"Kind": es.T("response.kind_workplace"), "ZIP": "78744"}); got != want {
			t.Errorf("announcement %q, want %q", got, want)
		}
		// A state change on the server updates the row in place.
		if err := a.Response.SetState(context.Background(), auth.System("e2e"), rep.ID, rapid.StateVerifying, ""); err != nil {
			t.Fatal(err)
		}
		rinWait(t, board, "the row shows the new state", fmt.Sprintf(`document.getElementById("report-%d").textContent.includes(%q)`,
			rep.ID, es.T("response.state.verifying")), 5*time.Second)
	})
}

// The intake pages pass axe-core in both languages: the public report page (empty, with
// errors), the thank-you page, the hotline console, the board, a report's page and the
// checklist settings.
func TestRinPagesAccessible(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		token := rinBrowserToken(t, a)
		rep, err := a.Response.TakeCall(context.Background(), auth.System("e2e"), rapid.ReportInput{Kind: rapid.KindHome,
			Address: "12 Elm St", ZIP: "78702", Agents: 2, Phone: "+15125550190", Description: "Two cars", Language: "es"})
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range langs {
			t.Run(lang, func(t *testing.T) {
				tr := a.Catalog.Localizer(lang)
				check := func(ctx context.Context, key string) {
					t.Helper()
					if key != "" {
						if got := text(t, ctx, "h1"); got != tr.T(key, rep) {
							t.Errorf("heading %q, want %q", got, tr.T(key, rep))
						}
					}
					testkit.Axe(t, ctx)
				}
				public := testkit.BrowserSession(t, browser, testkit.SessionOptions{})
				open(t, public, baseURL+"/report?lang="+lang)
				check(public, "response_intake.report.title")
				typeInto(t, public, "#phone", "12")
				submit(t, public, `form[action="/report"]`, 422)
				check(public, "response_intake.report.title")
				open(t, public, baseURL+"/report/thanks?lang="+lang)
				check(public, "response_intake.thanks.title")

				staff := adminBrowserSession(t, browser, baseURL, token, testkit.SessionOptions{})
				open(t, staff, baseURL+"/response/console?lang="+lang)
				check(staff, "response.console.title")
				if got := eval[string](t, staff, "document.activeElement.id"); got != "kind" {
					t.Errorf("the console's focus is on %q, want the first field", got)
				}
				// Keyboard only: the first field has the focus, Enter in a one-line field sends.
				if err := chromedp.Do(staff, chromedp.SendKeys(chromedp.CSS("#kind"), tr.T("response.kind_checkpoint"))); err != nil {
					t.Fatal(err)
				}
				typeInto(t, staff, "#zip", "78741")
				resp, err := chromedp.RunResponse(staff, chromedp.SendKeys(chromedp.CSS("#zip"), "\r"))
				if err != nil || resp.Status != 200 {
					t.Fatalf("Enter in the console: %v %v", err, resp)
				}
				if got := path(t, staff, baseURL); got != "/response/console" {
					t.Errorf("after Enter the console is at %q", got)
				}
				if got := text(t, staff, "main tbody tr td:nth-child(3)"); got != "78741" {
					t.Errorf("the newest report's ZIP is %q, want the one just entered", got)
				}
				submit(t, staff, `form[action="/response/console"]`, 422)
				check(staff, "response.console.title")
				open(t, staff, baseURL+"/response?lang="+lang)
				check(staff, "response.board.title")
				open(t, staff, baseURL+"/response/reports/"+strconv.FormatInt(rep.ID, 10)+"?lang="+lang)
				check(staff, "response.report.heading")
				open(t, staff, baseURL+"/response/checklist?lang="+lang)
				check(staff, "response.checklist.settings")
			})
		}
	})
}
