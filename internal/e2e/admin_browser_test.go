package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/testkit"
	"solidarity/internal/vault"
)

// adminBrowserToken creates an administrator, enrols an authenticator app through the
// service (as the person would on the two-step page) and returns a signed-in session token.
func adminBrowserToken(t *testing.T, a *app.App) string {
	t.Helper()
	ctx := context.Background()
	const email, password = "ines@example.org", "lanterns guide the night harbor"
	if _, err := a.Auth.AdminCreateUser(ctx, email, "Inés Administradora", auth.RoleAdministrator, password); err != nil {
		t.Fatal(err)
	}
	g, err := a.Auth.SignIn(ctx, email, password, auth.Client{Key: "e2e-admin"})
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

// adminBrowserSession opens a browser session carrying the session cookie of token.
func adminBrowserSession(t *testing.T, browser context.Context, baseURL, token string, opts testkit.SessionOptions) context.Context {
	t.Helper()
	ctx := testkit.BrowserSession(t, browser, opts)
	httpOnly := true
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{
		Name: "sid", Value: token, URL: baseURL + "/", HTTPOnly: &httpOnly, SameSite: network.CookieSameSiteLax,
	}); err != nil {
		t.Fatalf("set the session cookie: %v", err)
	}
	return ctx
}

// adminSubmit clicks the button css selects and fails unless the page it leads to
// answers want (after any redirect).
func adminSubmit(t *testing.T, ctx context.Context, css string, want int) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("click %s: %v", css, err)
	}
	if int(resp.Status) != want {
		t.Fatalf("click %s: status %d, want %d", css, resp.Status, want)
	}
}

// adminType types text into the input css selects.
func adminType(t *testing.T, ctx context.Context, css, text string) {
	t.Helper()
	clear := fmt.Sprintf(`(() => { document.querySelector(%q).value = ""; return true })()`, css)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](clear)); err != nil {
		t.Fatalf("clear %s: %v", css, err)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(css), text)); err != nil {
		t.Fatalf("type into %s: %v", css, err)
	}
}

// An administrator goes through the dashboard and every administration page, and the
// states reached by their forms (confirmation, errors, a new key, the sealed vault), in
// Spanish and English, with zero axe-core violations.
func TestAdminPagesAccessible(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		ctx := context.Background()
		sys := auth.System("e2e")
		a.Vault.KDF = vault.KDFParams{Time: 1, MemoryKiB: 8 * 1024, Threads: 1}
		token := adminBrowserToken(t, a)
		other, err := a.Auth.AdminCreateUser(ctx, "ana@example.org", "Ana Organizadora", auth.RoleOrganizer, "copper kettles sing at dawn")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Auth.Invite(ctx, sys, auth.NewInvitation{Email: "nuevo@example.org", Role: auth.RoleMember, Locale: "es"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.Auth.CreateAPIKey(ctx, sys, auth.NewAPIKey{Name: "Boletín", Role: auth.RoleMember}); err != nil {
			t.Fatal(err)
		}
		page := adminBrowserSession(t, browser, baseURL, token, testkit.SessionOptions{})
		account := fmt.Sprintf("/admin/accounts/%d", other.ID)
		pages := []string{"/dashboard", "/admin", "/admin/accounts", account, "/admin/api-keys", "/admin/audit",
			"/admin/audit?action=auth.", "/admin/vault", "/admin/retention", "/admin/outbox", "/admin/outbox/1"}

		check := func(t *testing.T, lang string) {
			for _, p := range pages {
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				open(t, page, baseURL+p+sep+"lang="+lang)
				if got := eval[string](t, page, "document.documentElement.lang"); got != lang {
					t.Errorf("%s: <html lang=%q>, want %q", p, got, lang)
				}
				testkit.Axe(t, page)
			}

			// The confirmation step of disabling an account (not confirmed).
			open(t, page, baseURL+account)
			adminSubmit(t, page, `form[action$="/disable"] button`, 200)
			if got, want := text(t, page, "h1"), a.Catalog.Localizer(lang).T("admin.account.disable.heading"); got != want {
				t.Errorf("confirmation heading %q, want %q", got, want)
			}
			testkit.Axe(t, page)

			// A new API key, shown once.
			open(t, page, baseURL+"/admin/api-keys")
			adminType(t, page, "#f-name", "Integración "+lang)
			adminSubmit(t, page, `form[action="/admin/api-keys"] button`, 200)
			if key := eval[string](t, page, `document.querySelector("#new-key").value`); !strings.HasPrefix(key, auth.APIKeyPrefix) {
				t.Errorf("the new key page shows %q", key)
			}
			testkit.Axe(t, page)

			// A form sent back with its errors: a retention period out of bounds (the
			// browser's own range check is turned off, as an old browser would not have it).
			open(t, page, baseURL+"/admin/retention")
			_ = eval[bool](t, page, `(() => { document.querySelectorAll("form").forEach(f => f.noValidate = true); return true })()`)
			adminType(t, page, "#policy-notify-deliveries-days", "4000")
			adminSubmit(t, page, `form[action="/admin/retention/policies/notify.deliveries"] button`, 422)
			if got := text(t, page, ".admin-alert li"); got != a.Catalog.Localizer(lang).T("retention.after.too_long") {
				t.Errorf("retention error summary says %q", got)
			}
			testkit.Axe(t, page)
		}

		for i, lang := range langs {
			t.Run(lang, func(t *testing.T) {
				check(t, lang)
				if i > 0 {
					return
				}
				// Set the vault up, seal it, and try a wrong passphrase: each state once (the
				// next language's pass sees the sealed vault page).
				open(t, page, baseURL+"/admin/vault?lang="+lang)
				const pass = "harbor lights over the bay"
				adminType(t, page, "#f-passphrase", pass)
				adminType(t, page, "#f-passphrase_confirm", pass)
				adminSubmit(t, page, `form[action="/admin/vault/init"] button`, 200)
				if a.Vault.Sealed() {
					t.Fatal("the vault is sealed after set-up through the page")
				}
				testkit.Axe(t, page)
				adminSubmit(t, page, `form[action="/admin/vault/seal"] button`, 200)
				if !a.Vault.Sealed() {
					t.Fatal("the emergency button did not seal the vault")
				}
				if got := text(t, page, ".banner-sealed"); got != a.Catalog.Localizer(lang).T("layout.sealed") {
					t.Errorf("sealed banner says %q", got)
				}
				testkit.Axe(t, page)
				adminType(t, page, "#f-passphrase", "not the right words")
				adminSubmit(t, page, `form[action="/admin/vault/unseal"] button`, 422)
				testkit.Axe(t, page)
			})
		}
	})
}

// The administration forms need no JavaScript: with scripts off, an invitation is sent
// and lands in the outbox.
func TestAdminFormsWithoutJavaScript(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		token := adminBrowserToken(t, a)
		page := adminBrowserSession(t, browser, baseURL, token, testkit.SessionOptions{NoJavaScript: true})
		open(t, page, baseURL+"/admin/accounts?lang=es")
		if err := chromedp.Do(page, chromedp.SendKeys(chromedp.CSS("#f-email"), "vecina@example.org")); err != nil {
			t.Fatal(err)
		}
		adminSubmit(t, page, `form[action="/admin/invitations"] button`, 200)
		es := a.Catalog.Localizer("es")
		if got := text(t, page, ".flash"); got != es.T("admin.invite.sent_outbox") {
			t.Errorf("after inviting, the notice says %q", got)
		}
		open(t, page, baseURL+"/admin/outbox")
		if got := text(t, page, "tbody td"); got != "vecina@example.org" {
			t.Errorf("the outbox's first recipient is %q", got)
		}
	})
}
