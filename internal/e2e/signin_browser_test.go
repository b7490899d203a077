package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/testkit"
)

const browserPassphrase = "harbor lights fade into morning"

// submit clicks the submit button of the main content's form matched by formCSS and waits
// for the page it leads to, failing unless that page answers want.
func submit(t *testing.T, ctx context.Context, formCSS string, want int64) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("main "+formCSS+` button[type="submit"]`)))
	if err != nil {
		t.Fatalf("submit %s: %v", formCSS, err)
	}
	if resp.Status != want {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("submit %s: %s answered %d, want %d", formCSS, loc, resp.Status, want)
	}
}

// typeInto types text into the input matched by css.
func typeInto(t *testing.T, ctx context.Context, css, text string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(css), text)); err != nil {
		t.Fatalf("type into %s: %v", css, err)
	}
}

// path returns the path (and query) of the tab's address.
func path(t *testing.T, ctx context.Context, baseURL string) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(loc, baseURL)
}

// A dispatcher (a role that must use two-step sign-in) signs in for the first time in
// Spanish, sets up an authenticator app, saves the recovery codes, signs out and signs in
// again with a code from the app. Every page on the way passes axe-core.
func TestSignInWithTOTPInTheBrowser(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		es := a.Catalog.Localizer("es")
		if _, err := a.Auth.AdminCreateUser(context.Background(), "rosa@example.org", "Rosa Despacho", auth.RoleDispatcher, browserPassphrase); err != nil {
			t.Fatal(err)
		}
		ctx := testkit.BrowserSession(t, browser, testkit.SessionOptions{})

		open(t, ctx, baseURL+"/login?lang=es&next=/account")
		if got := text(t, ctx, "h1"); got != es.T("signin.login.title") {
			t.Errorf("sign-in heading = %q, want %q", got, es.T("signin.login.title"))
		}
		testkit.Axe(t, ctx)

		// A wrong password: the error summary and field stay accessible.
		typeInto(t, ctx, "#email", "rosa@example.org")
		typeInto(t, ctx, "#password", "not the right passphrase")
		submit(t, ctx, "form.signin-form", 422)
		if got := text(t, ctx, ".error-summary li"); got != es.T(auth.KeySignInFailed) {
			t.Errorf("error summary = %q, want %q", got, es.T(auth.KeySignInFailed))
		}
		testkit.Axe(t, ctx)

		// The address is kept (the password never is); the right password leads to the
		// required set-up of two-step sign-in.
		if got := eval[string](t, ctx, `document.querySelector("#email").value`); got != "rosa@example.org" {
			t.Errorf("after a failure the e-mail field holds %q", got)
		}
		if got := eval[string](t, ctx, `document.querySelector("#password").value`); got != "" {
			t.Error("after a failure the password field is filled in")
		}
		typeInto(t, ctx, "#password", browserPassphrase)
		submit(t, ctx, "form.signin-form", 200)
		if p := path(t, ctx, baseURL); !strings.HasPrefix(p, "/account/two-factor") {
			t.Fatalf("after the password the browser is at %s, want the two-step set-up", p)
		}
		if got := text(t, ctx, "main .notice"); got != es.T("auth.session.enrol") {
			t.Errorf("set-up page says %q, want %q", got, es.T("auth.session.enrol"))
		}
		if w := eval[int](t, ctx, `document.querySelector("img.qr").naturalWidth`); w < 100 {
			t.Errorf("QR code image is %d px wide: not loaded", w)
		}
		testkit.Axe(t, ctx)

		secret := strings.ReplaceAll(text(t, ctx, "#totp-secret"), " ", "")
		code, err := totp.GenerateCode(secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		typeInto(t, ctx, "#code", code)
		submit(t, ctx, "form.signin-form", 200)
		if got := text(t, ctx, "h1"); got != es.T("signin.recovery.title") {
			t.Fatalf("after the first code the heading is %q, want %q", got, es.T("signin.recovery.title"))
		}
		if n := eval[int](t, ctx, `document.querySelectorAll("ol.recovery-codes li").length`); n != auth.RecoveryCodes {
			t.Errorf("%d recovery codes shown, want %d", n, auth.RecoveryCodes)
		}
		testkit.Axe(t, ctx)

		// "I saved them" goes on to the page asked for at the start.
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("main a.button"))); err != nil {
			t.Fatal(err)
		}
		if got := text(t, ctx, "h1"); got != es.T("signin.account.title") {
			t.Fatalf("after saving the codes the heading is %q, want %q", got, es.T("signin.account.title"))
		}
		testkit.Axe(t, ctx)

		// Sign out, then in again: this time the app's code is asked for.
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("form.signout button"))); err != nil {
			t.Fatal(err)
		}
		if got := text(t, ctx, "main .flash"); got != es.T("signin.flash.signed_out") {
			t.Errorf("after signing out the notice is %q, want %q", got, es.T("signin.flash.signed_out"))
		}
		open(t, ctx, baseURL+"/login?next=/account")
		typeInto(t, ctx, "#email", "rosa@example.org")
		typeInto(t, ctx, "#password", browserPassphrase)
		submit(t, ctx, "form.signin-form", 200)
		if got := text(t, ctx, "h1"); got != es.T("signin.second_factor.title") {
			t.Fatalf("after the password the heading is %q, want %q", got, es.T("signin.second_factor.title"))
		}
		if mode := eval[string](t, ctx, `document.querySelector("#code").inputMode`); mode != "numeric" {
			t.Errorf("code field inputmode = %q, want numeric", mode)
		}
		testkit.Axe(t, ctx)
		// The next time step's code: the set-up used this one's, and a code works once.
		code, err = totp.GenerateCode(secret, time.Now().Add(30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		typeInto(t, ctx, "#code", code)
		submit(t, ctx, "form.signin-form", 200)
		if got := text(t, ctx, "h1"); got != es.T("signin.account.title") {
			t.Fatalf("after the code the heading is %q, want %q", got, es.T("signin.account.title"))
		}
		if got := text(t, ctx, "main .flash"); got != es.T("signin.flash.welcome") {
			t.Errorf("welcome notice = %q, want %q", got, es.T("signin.flash.welcome"))
		}
		if got := eval[string](t, ctx, "document.documentElement.lang"); got != "es" {
			t.Errorf("<html lang> = %q, want es", got)
		}
		testkit.Axe(t, ctx)
	})
}

// The sign-in form is a plain form: it works with JavaScript off.
func TestSignInWithoutJavaScript(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		es := a.Catalog.Localizer("es")
		if _, err := a.Auth.AdminCreateUser(context.Background(), "teo@example.org", "Teo Miembro", auth.RoleMember, browserPassphrase); err != nil {
			t.Fatal(err)
		}
		ctx := testkit.BrowserSession(t, browser, testkit.SessionOptions{NoJavaScript: true})
		open(t, ctx, baseURL+"/login?lang=es&next=/account")
		typeInto(t, ctx, "#email", "teo@example.org")
		typeInto(t, ctx, "#password", browserPassphrase)
		submit(t, ctx, "form.signin-form", 200)
		if got := text(t, ctx, "h1"); got != es.T("signin.account.title") {
			t.Fatalf("after signing in without JavaScript the heading is %q, want %q", got, es.T("signin.account.title"))
		}
		if got := text(t, ctx, "main dl.facts dd"); got != "Teo Miembro" {
			t.Errorf("account page names %q, want Teo Miembro", got)
		}
		// Signing out is a plain form too.
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("form.signout button"))); err != nil {
			t.Fatal(err)
		}
		if got := text(t, ctx, "main .flash"); got != es.T("signin.flash.signed_out") {
			t.Errorf("after signing out the notice is %q, want %q", got, es.T("signin.flash.signed_out"))
		}
	})
}
