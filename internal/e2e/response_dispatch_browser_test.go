package e2e

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	rapid "solidarity/internal/response"
	"solidarity/internal/testkit"
)

var rdiLinkRe = regexp.MustCompile(`/respond/[A-Za-z0-9_-]{43}`)

// rdiLinkOf returns the path of the one-tap link in the first dispatch message to contact.
func rdiLinkOf(t *testing.T, a *app.App, contact string) string {
	t.Helper()
	list, err := a.Notify.Outbox(context.Background(), notify.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for i := len(list.Deliveries) - 1; i >= 0; i-- {
		if d := list.Deliveries[i]; d.To == contact && d.Purpose == "response.dispatch" {
			if p := rdiLinkRe.FindString(d.Text); p != "" {
				return p
			}
		}
	}
	t.Fatalf("no one-tap link to %s", contact)
	return ""
}

// rdiBrowserFixture files a report and dispatches one Spanish-speaking and one
// English-speaking responder (by SMS) and a third one; it returns the responders' phones
// by language.
func rdiBrowserFixture(t *testing.T, a *app.App) map[string]string {
	t.Helper()
	ctx := context.Background()
	sys := auth.System("e2e")
	if err := a.Vault.InitEphemeral(ctx); err != nil {
		t.Fatal(err)
	}
	report, err := a.Response.TakeCall(ctx, sys, rapid.ReportInput{Kind: rapid.KindWorkplace, Address: "1200 Industrial Way, loading dock",
		ZIP: "90012", Agents: 6, Vehicles: 3, Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	phones := map[string]string{"es": "+12015550181", "en": "+12015550182", "other": "+12015550183"}
	var in rapid.DispatchInput
	for lang, phone := range phones {
		spoken := lang
		if lang == "other" {
			spoken = "en"
		}
		p, err := a.People.Create(ctx, sys, people.PersonInput{GivenName: "Responder " + lang, Emails: []string{lang + "@responders.example.org"},
			Phones: []string{phone}, Language: spoken})
		if err != nil {
			t.Fatal(err)
		}
		r, err := a.Response.AddResponder(ctx, sys, rapid.ResponderInput{Person: strconv.FormatInt(p.ID, 10), Languages: []string{spoken},
			ZIPs: []string{"90012"}, OnCall: true, TimeZone: "America/Los_Angeles", Channel: rapid.ResponderSMS})
		if err != nil {
			t.Fatal(err)
		}
		in.Responders = append(in.Responders, r.ID)
	}
	in.Needed = 2
	if _, err := a.Response.Dispatch(ctx, sys, report.ID, in); err != nil {
		t.Fatal(err)
	}
	return phones
}

// A responder answers the request from their one-tap link with JavaScript off, in their
// own language: accepts, sees the address, posts an update from the scene with a note.
// Then every state of the page (waiting, assigned with an error and after an update, not
// needed, a dead link) passes axe-core in Spanish and English, on a 360 px screen
// without sideways scrolling.
func TestRdiResponderLinkPageInTheBrowser(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		phones := rdiBrowserFixture(t, a)
		for _, lang := range []string{"es", "en"} {
			tr := a.Catalog.Localizer(lang)
			link := baseURL + rdiLinkOf(t, a, phones[lang])

			noJS := testkit.BrowserSession(t, browser, testkit.SessionOptions{NoJavaScript: true})
			open(t, noJS, link)
			if got := text(t, noJS, "h1"); got != tr.T("response_dispatch.respond.title") {
				t.Fatalf("%s: heading %q, want the responder's language", lang, got)
			}
			if got := text(t, noJS, "#rdi-answer"); !strings.Contains(got, tr.T("response_dispatch.respond.can_you_go")) {
				t.Fatalf("%s: no question: %q", lang, got)
			}
			if strings.Contains(text(t, noJS, "main"), "Industrial Way") {
				t.Fatalf("%s: the address shows before accepting", lang)
			}
			resp, err := chromedp.RunResponse(noJS, chromedp.Click(chromedp.CSS(`main form.rdi-answer button[value="accept"]`)))
			if err != nil || resp.Status != 200 {
				t.Fatalf("%s: accept: %v %+v", lang, err, resp)
			}
			if got := text(t, noJS, ".rdi-address"); got != "1200 Industrial Way, loading dock" {
				t.Fatalf("%s: address %q", lang, got)
			}
			if err := chromedp.Do(noJS, chromedp.Click(chromedp.CSS("#kind-on_scene"))); err != nil {
				t.Fatal(err)
			}
			typeInto(t, noJS, "#note", "Dos camionetas en la entrada")
			submit(t, noJS, `form[action$="/update"]`, 200)
			if got := text(t, noJS, ".flash"); got != tr.T("response_dispatch.respond.flash.update_sent") {
				t.Errorf("%s: after the update: %q", lang, got)
			}
		}

		// Every state passes axe-core, in both languages, at 360 px.
		otherLink := baseURL + rdiLinkOf(t, a, phones["other"])
		for _, lang := range []string{"es", "en"} {
			t.Run(lang, func(t *testing.T) {
				ctx := testkit.BrowserSession(t, browser, testkit.SessionOptions{})
				testkit.Viewport(t, ctx, 360, 740, 1)
				check := func(what string) {
					t.Helper()
					if got := eval[string](t, ctx, "document.documentElement.lang"); got != lang {
						t.Errorf("%s: <html lang=%q>, want %q", what, got, lang)
					}
					if s := eval[[]int](t, ctx, "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"); s[0] > s[1] {
						t.Errorf("%s scrolls sideways at 360 px: %v", what, s)
					}
					testkit.Axe(t, ctx)
				}
				// The third responder: not needed any more (two accepted).
				open(t, ctx, otherLink+"?lang="+lang)
				check("not needed")
				// An assigned responder's page, then with a refused update.
				own := baseURL + rdiLinkOf(t, a, phones[lang])
				open(t, ctx, own+"?lang="+lang)
				check("assigned")
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.querySelector("#note").removeAttribute("maxlength"); document.querySelector("#note").value = "x".repeat(600); return true })()`)); err != nil {
					t.Fatal(err)
				}
				submit(t, ctx, `form[action$="/update"]`, 422)
				check("update refused")
				resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(baseURL+"/respond/"+strings.Repeat("x", 43)+"?lang="+lang))
				if err != nil || resp.Status != 404 {
					t.Fatalf("dead link: %v %+v", err, resp)
				}
				if got := text(t, ctx, "h1"); got != a.Catalog.Localizer(lang).T("response_dispatch.gone.title") {
					t.Errorf("dead link heading %q", got)
				}
				check("dead link")
			})
		}
	})
}

// The responders' staff pages and the dispatch section of a report pass axe-core in both
// languages: the empty list, the form with every error, a responder's page, the removal
// question, the list, the own on-call page, and a report with proposals and a request sent.
func TestRdiRespondersPagesAccessible(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		ctx0 := context.Background()
		if err := a.Vault.InitEphemeral(ctx0); err != nil {
			t.Fatal(err)
		}
		sys := auth.System("e2e")
		report, err := a.Response.TakeCall(ctx0, sys, rapid.ReportInput{Kind: rapid.KindHome, Address: "7 Quiet Street", ZIP: "10001", Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		token := adminBrowserToken(t, a)
		for i, lang := range []string{"es", "en"} {
			t.Run(lang, func(t *testing.T) {
				tr := a.Catalog.Localizer(lang)
				ctx := adminBrowserSession(t, browser, baseURL, token, testkit.SessionOptions{})
				heading := func(key string) {
					t.Helper()
					if got := text(t, ctx, "h1"); got != tr.T(key) {
						t.Errorf("heading %q, want %q", got, tr.T(key))
					}
					testkit.Axe(t, ctx)
				}
				open(t, ctx, baseURL+"/response/responders?lang="+lang)
				heading("response_dispatch.responders.title")
				open(t, ctx, baseURL+"/response/responders/new")
				heading("response_dispatch.responder.new_title")
				adminType(t, ctx, "#f-zips", "99999")
				adminType(t, ctx, "#f-hours_1", "late")
				adminSubmit(t, ctx, `main form.crm-form button[type="submit"]`, 422)
				heading("response_dispatch.responder.new_title")

				email := "vecina" + strconv.Itoa(i) + "@example.org"
				if _, err := a.People.Create(ctx0, sys, people.PersonInput{GivenName: "Vecina " + lang, Emails: []string{email}, Phones: []string{"+1201555019" + strconv.Itoa(i)}}); err != nil {
					t.Fatal(err)
				}
				open(t, ctx, baseURL+"/response/responders/new?person="+url.QueryEscape(email))
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name="languages"][value="es"]`))); err != nil {
					t.Fatal(err)
				}
				adminType(t, ctx, "#f-zips", "10011")
				adminSubmit(t, ctx, `main form.crm-form button[type="submit"]`, 200)
				heading("response_dispatch.responder.edit_title")
				adminSubmit(t, ctx, `main form[action$="/remove"] button[type="submit"]`, 200)
				heading("response_dispatch.responder.remove_heading")
				open(t, ctx, baseURL+"/response/responders")
				heading("response_dispatch.responders.title")
				open(t, ctx, baseURL+"/response/me")
				heading("response_dispatch.me.title")

				open(t, ctx, baseURL+"/response/reports/"+strconv.FormatInt(report.ID, 10))
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.rdi-proposals input[type="checkbox"]:not([disabled])`))); err != nil {
					t.Fatal(err)
				}
				adminType(t, ctx, "#rdi-needed", "1")
				adminSubmit(t, ctx, `main form.rdi-dispatch button[type="submit"]`, 200)
				if got := text(t, ctx, ".flash"); got != tr.T("response_dispatch.dispatch.flash.sent") {
					t.Errorf("after sending: %q", got)
				}
				testkit.Axe(t, ctx)
			})
		}
	})
}
