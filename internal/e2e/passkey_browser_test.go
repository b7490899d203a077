package e2e

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/config"
	"solidarity/internal/testkit"
)

// startLocalhostNode starts a node that calls itself http://localhost:<port>: passkeys are
// bound to a host name (an IP address cannot be a WebAuthn relying party), and browsers
// allow them on plain http only for localhost.
func startLocalhostNode(t *testing.T, dialect string) (string, *app.App) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	for _, d := range testkit.Dialects(t) {
		if string(d) != dialect {
			continue
		}
		_, a := startNode(t, d, func(c *config.Config) {
			c.Addr = "127.0.0.1:" + port
			c.BaseURL = "http://localhost:" + port
		})
		return "http://localhost:" + port, a
	}
	t.Fatalf("unknown dialect %s", dialect)
	return "", nil
}

// virtualAuthenticator gives the tab a platform authenticator that says yes by itself, as
// a phone's fingerprint reader would.
func virtualAuthenticator(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		t.Fatalf("enable WebAuthn: %v", err)
	}
	_, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
		Options: &webauthn.VirtualAuthenticatorOptions{
			Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21,
			Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
			IsUserVerified: true, AutomaticPresenceSimulation: true,
		},
	})
	if err != nil {
		t.Fatalf("add virtual authenticator: %v", err)
	}
}

// waitFor polls a JavaScript condition until it holds, failing after 15 seconds. A poll
// cut short by a navigation (the script moving on to the next page) starts again.
func waitFor(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil {
			return
		}
		if time.Now().After(deadline) || !strings.Contains(err.Error(), "navigated") {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A caseworker enrols a passkey as their first factor (the script shows the recovery
// codes once), then signs in with it.
func TestPasskeyInTheBrowser(t *testing.T) {
	browser := testkit.Browser(t)
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			baseURL, a := startLocalhostNode(t, string(dialect))
			es := a.Catalog.Localizer("es")
			if _, err := a.Auth.AdminCreateUser(context.Background(), "luz@example.org", "Luz Casos", auth.RoleCaseworker, browserPassphrase); err != nil {
				t.Fatal(err)
			}
			ctx := testkit.BrowserSession(t, browser, testkit.SessionOptions{})
			virtualAuthenticator(t, ctx)

			open(t, ctx, baseURL+"/login?lang=es&next=/account")
			typeInto(t, ctx, "#email", "luz@example.org")
			typeInto(t, ctx, "#password", browserPassphrase)
			submit(t, ctx, "form.signin-form", 200)
			waitFor(t, ctx, "the passkey section", `!document.querySelector("#passkey").hidden`)
			typeInto(t, ctx, "#passkey-name", "Teléfono de Luz")
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#passkey button[data-passkey-start]"))); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the recovery codes", `!document.querySelector(".passkey-codes").hidden`)
			if n := eval[int](t, ctx, `document.querySelectorAll(".passkey-codes li").length`); n != auth.RecoveryCodes {
				t.Errorf("%d recovery codes shown, want %d", n, auth.RecoveryCodes)
			}
			if got := eval[string](t, ctx, "document.activeElement.id"); got != "passkey-codes-title" {
				t.Errorf("focus after adding the passkey is on %q, want the codes' heading", got)
			}
			testkit.Axe(t, ctx)
			if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(".passkey-codes a.button"))); err != nil {
				t.Fatal(err)
			}
			if got := text(t, ctx, "h1"); got != es.T("signin.account.title") {
				t.Fatalf("after saving the codes the heading is %q, want %q", got, es.T("signin.account.title"))
			}
			if got := text(t, ctx, "main table tbody th"); got != "Teléfono de Luz" {
				t.Errorf("passkey list shows %q, want the new passkey", got)
			}

			// Signed out, the passkey is the second step.
			if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("form.signout button"))); err != nil {
				t.Fatal(err)
			}
			open(t, ctx, baseURL+"/login?next=/account")
			typeInto(t, ctx, "#email", "luz@example.org")
			typeInto(t, ctx, "#password", browserPassphrase)
			submit(t, ctx, "form.signin-form", 200)
			waitFor(t, ctx, "the passkey sign-in", `!document.querySelector("[data-passkey=login]").hidden`)
			testkit.Axe(t, ctx)
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("[data-passkey=login] button"))); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the account page", `location.pathname === "/account" && document.readyState === "complete" && !!document.querySelector("main .flash")`)
			if got := text(t, ctx, "main .flash"); got != es.T("signin.flash.welcome") {
				t.Errorf("after the passkey the notice is %q, want %q", got, es.T("signin.flash.welcome"))
			}
		})
	}
}
