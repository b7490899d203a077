package e2e

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/notify"
	rapid "solidarity/internal/response"
	"solidarity/internal/testkit"
)

var ralLinkRe = regexp.MustCompile(`https?://[^\s"<>]+`)

// ralMailedPath returns the path of the newest link under prefix in the outbox messages to
// contact (alerts keep them sealed; the vault is open, so they read decrypted).
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
			if u, err := url.Parse(l); err == nil && strings.HasPrefix(u.Path, prefix) {
				return u.Path
			}
		}
	}
	t.Fatalf("no %s link for %s", prefix, contact)
	return ""
}

// ralBrowserToken signs in a new account of role (enrolling an authenticator app through
// the service) and returns its session token.
func ralBrowserToken(t *testing.T, a *app.App, role auth.Role) string {
	t.Helper()
	ctx := context.Background()
	email, password := string(role)+"@alerts.example.org", "quiet rivers carry the morning"
	if _, err := a.Auth.AdminCreateUser(ctx, email, "Dora Despacho", role, password); err != nil {
		t.Fatal(err)
	}
	g, err := a.Auth.SignIn(ctx, email, password, auth.Client{Key: "e2e-alerts"})
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

// The public alerts pages work without JavaScript in Spanish and English: an SMS sign-up
// (with a mistake first), an e-mail sign-up confirmed from its link, and leaving from the
// link in the mail. Then, with scripts on for axe-core, every one of those pages passes
// it, on a 360 px screen without sideways scrolling.
func TestAlertsSubscribePagesInTheBrowser(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		if err := a.Vault.InitEphemeral(context.Background()); err != nil {
			t.Fatal(err)
		}
		for i, lang := range langs {
			t.Run(lang, func(t *testing.T) {
				tr := a.Catalog.Localizer(lang)
				phone := "(213) 555-01" + strconv.Itoa(50+i)
				email := "vecina-" + lang + "@example.org"
				heading := func(ctx context.Context, key string) {
					t.Helper()
					if got := text(t, ctx, "h1"); got != tr.T(key) {
						t.Errorf("heading %q, want %q", got, tr.T(key))
					}
				}

				// Without JavaScript.
				ctx := testkit.BrowserSession(t, browser, testkit.SessionOptions{NoJavaScript: true})
				open(t, ctx, baseURL+"/alerts?lang="+lang)
				heading(ctx, "alerts.subscribe.title")
				typeInto(t, ctx, "#phone", phone)
				typeInto(t, ctx, "#zips", "90001, 90002")
				submit(t, ctx, `form[action="/alerts"]`, 422) // no consent
				if got := text(t, ctx, "#consent-error"); got != tr.T("alerts.consent.required") {
					t.Errorf("consent error %q", got)
				}
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#consent"))); err != nil {
					t.Fatal(err)
				}
				submit(t, ctx, `form[action="/alerts"]`, 200)
				heading(ctx, "alerts.thanks.title")

				open(t, ctx, baseURL+"/alerts?lang="+lang)
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#channel-email"))); err != nil {
					t.Fatal(err)
				}
				typeInto(t, ctx, "#email", email)
				typeInto(t, ctx, "#zips", "90003")
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#language-"+lang))); err != nil {
					t.Fatal(err)
				}
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#consent"))); err != nil {
					t.Fatal(err)
				}
				submit(t, ctx, `form[action="/alerts"]`, 200)
				heading(ctx, "alerts.thanks.title")
				confirm := ralMailedPath(t, a, email, rapid.SubscribeConfirmPath)
				leave := ralMailedPath(t, a, email, rapid.LeavePath)
				open(t, ctx, baseURL+confirm)
				heading(ctx, "alerts.confirm.title")
				submit(t, ctx, "form.public-form", 200)
				heading(ctx, "alerts.confirmed.title")
				open(t, ctx, baseURL+leave)
				heading(ctx, "alerts.leave.title")
				submit(t, ctx, "form.public-form", 200)
				heading(ctx, "alerts.left.title")

				// With scripts on, for axe-core, at 360 px.
				ctx = testkit.BrowserSession(t, browser, testkit.SessionOptions{})
				testkit.Viewport(t, ctx, 360, 740, 1)
				check := func(key string) {
					t.Helper()
					heading(ctx, key)
					if got := eval[string](t, ctx, "document.documentElement.lang"); got != lang {
						t.Errorf("<html lang=%q>, want %q", got, lang)
					}
					scroll := eval[[]int](t, ctx, "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
					if scroll[0] > scroll[1] {
						t.Errorf("%s scrolls sideways at 360 px: %d px of content", key, scroll[0])
					}
					testkit.Axe(t, ctx)
				}
				open(t, ctx, baseURL+"/alerts?lang="+lang)
				check("alerts.subscribe.title")
				typeInto(t, ctx, "#phone", "12")
				submit(t, ctx, `form[action="/alerts"]`, 422)
				check("alerts.subscribe.title")
				open(t, ctx, baseURL+"/alerts/thanks?via=email&lang="+lang)
				check("alerts.thanks.title")
				open(t, ctx, baseURL+confirm+"?lang="+lang)
				check("alerts.confirm.title")
				open(t, ctx, baseURL+"/alerts/confirmed?lang="+lang)
				check("alerts.confirmed.title")
				open(t, ctx, baseURL+leave+"?lang="+lang)
				check("alerts.leave.title")
				open(t, ctx, baseURL+"/alerts/left?lang="+lang)
				check("alerts.left.title")
			})
		}
		var n int
		if err := a.DB.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM response_subscribers WHERE status = 'active'").Scan(&n); err != nil || n != len(langs) {
			t.Errorf("%d active subscriptions (%v), want the %d SMS ones", n, err, len(langs))
		}
	})
}

// A dispatcher's alert pages pass axe-core in both languages: the compose page (empty, with
// an error, with a preview), an alert's status page, the list, and the templates.
func TestAlertsStaffPagesAccessible(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		ctx0 := context.Background()
		if err := a.Vault.InitEphemeral(ctx0); err != nil {
			t.Fatal(err)
		}
		sys := auth.System("e2e")
		for _, s := range []struct{ phone, lang, zip string }{{"+12135550181", "en", "90001"}, {"+12135550182", "es", "90002"}} {
			if err := a.Response.Subscribe(ctx0, rapid.SubscribeRequest{Contact: s.phone, Channel: rapid.AlertSMS, ZIPs: []string{s.zip}, Language: s.lang, Consent: true}); err != nil {
				t.Fatal(err)
			}
		}
		r, err := a.Response.TakeCall(ctx0, sys, rapid.ReportInput{Kind: rapid.KindWorkplace, Address: "700 Industrial Way", ZIP: "90001", Agents: 6, Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []rapid.State{rapid.StateVerifying, rapid.StateConfirmed} {
			if err := a.Response.SetState(ctx0, sys, r.ID, st, ""); err != nil {
				t.Fatal(err)
			}
		}
		tmpl, err := a.Response.SaveAlertTemplate(ctx0, sys, 0, rapid.AlertTemplate{Name: "Workplace raid", Kind: rapid.AlertKindAlert,
			BodyEn: "Verified: {{.Kind}} near {{.Area}} at {{.Time}}.", BodyEs: "Verificado: {{.Kind}} cerca de {{.Area}} a las {{.Time}}."})
		if err != nil {
			t.Fatal(err)
		}
		token := ralBrowserToken(t, a, auth.RoleDispatcher)
		for _, lang := range langs {
			t.Run(lang, func(t *testing.T) {
				tr := a.Catalog.Localizer(lang)
				ctx := adminBrowserSession(t, browser, baseURL, token, testkit.SessionOptions{})
				check := func(key string) {
					t.Helper()
					if got := text(t, ctx, "h1"); !strings.HasPrefix(got, strings.Split(tr.T(key, map[string]any{"ID": 0}), "0")[0]) {
						t.Errorf("heading %q, want %q", got, tr.T(key))
					}
					testkit.Axe(t, ctx)
				}
				open(t, ctx, baseURL+"/response/alerts/new?lang="+lang)
				check("alerts.compose.title")
				open(t, ctx, baseURL+"/response/alerts/new?report="+strconv.FormatInt(r.ID, 10)+"&lang="+lang)
				check("alerts.compose.title")
				adminType(t, ctx, "#f-zips", "90001, 90002")
				adminType(t, ctx, "#f-body_en", "Agents at 700 Industrial Way")
				adminType(t, ctx, "#f-body_es", "Agentes en la zona")
				adminSubmit(t, ctx, `button[formaction="/response/alerts/preview"]`, 422)
				check("alerts.compose.title")
				adminType(t, ctx, "#f-body_en", "Verified: {{.Kind}} near {{.Area}}.")
				adminSubmit(t, ctx, `button[formaction="/response/alerts/preview"]`, 200)
				check("alerts.compose.title")
				if got := text(t, ctx, ".alert-preview .lead"); got != tr.N("alerts.preview.recipients", 2) {
					t.Errorf("preview count %q", got)
				}
				adminSubmit(t, ctx, "button.danger", 200)
				// The page reloads itself while the alert is sending: check it once sent.
				status := path(t, ctx, baseURL)
				id, _ := strconv.ParseInt(strings.TrimPrefix(status, "/response/alerts/"), 10, 64)
				deadline := time.Now().Add(20 * time.Second)
				for {
					al, err := a.Response.Alert(ctx0, sys, id)
					if err != nil {
						t.Fatal(err)
					}
					if al.Status == rapid.AlertDone {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("alert %d not sent in 20 s", id)
					}
					time.Sleep(50 * time.Millisecond)
				}
				open(t, ctx, baseURL+status+"?lang="+lang)
				check("alerts.show.heading")
				open(t, ctx, baseURL+"/response/alerts?lang="+lang)
				check("alerts.list.title")
				open(t, ctx, baseURL+"/response/alerts/templates?lang="+lang)
				check("alerts.templates.title")
				adminSubmit(t, ctx, `form[action="/response/alerts/templates"] button[type="submit"]`, 422)
				check("alerts.templates.title")
				open(t, ctx, baseURL+"/response/alerts/templates/"+strconv.FormatInt(tmpl.ID, 10)+"?lang="+lang)
				check("alerts.templates.edit_title")
			})
		}
	})
}
