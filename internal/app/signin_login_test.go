package app_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
)

func TestSignInAndOut(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		account(t, a, "ana@example.org", "Ana Member", auth.RoleMember)
		v := newVisitor(t, a, "198.51.100.10")

		form := v.get("/login")
		must(t, "sign-in form", form, http.StatusOK, en(a, "signin.login.title"),
			`autocomplete="username"`, `autocomplete="current-password"`, `name="next" value="/dashboard"`,
			`href="/password/forgot"`)

		// The same answer whether the account exists or not: only the echoed address differs.
		wrong := v.post("/login", url.Values{"email": {"ana@example.org"}, "password": {"not the passphrase at all"}})
		must(t, "wrong password", wrong, http.StatusUnprocessableEntity, en(a, auth.KeySignInFailed), `role="alert"`,
			`value="ana@example.org"`)
		mustNot(t, "wrong password", wrong, "not the passphrase at all")
		unknown := v.post("/login", url.Values{"email": {"nobody@example.org"}, "password": {"not the passphrase at all"}})
		must(t, "unknown e-mail", unknown, http.StatusUnprocessableEntity, en(a, auth.KeySignInFailed))
		if strings.ReplaceAll(wrong.Body, "ana@example.org", "") != strings.ReplaceAll(unknown.Body, "nobody@example.org", "") {
			t.Error("the pages for a wrong password and an unknown e-mail differ")
		}
		if _, ok := v.cookies["sid"]; ok {
			t.Error("a failed sign-in set a session cookie")
		}

		// Success goes to the page asked for, and the session works.
		v.signIn("ana@example.org", passphrase, "/dashboard")
		if v.cookies["sid"] == "" {
			t.Fatal("no session cookie after signing in")
		}
		acct := v.get("/account")
		must(t, "account page", acct, http.StatusOK, "Ana Member", "ana@example.org", en(a, "auth.role.member"),
			en(a, "signin.flash.welcome"))
		if r := v.get("/login?next=/account"); r.Status != http.StatusSeeOther || r.Location != "/account" {
			t.Errorf("sign-in page for someone signed in: %d %q, want a redirect to /account", r.Status, r.Location)
		}

		// Signing out ends the session, clears the cookie and says so on the home page.
		token := v.cookies["sid"]
		out := v.post("/logout", nil)
		if out.Status != http.StatusSeeOther || out.Location != "/" {
			t.Fatalf("sign out: %d %q, want a redirect home", out.Status, out.Location)
		}
		if _, ok := v.cookies["sid"]; ok {
			t.Error("sign out left the session cookie")
		}
		must(t, "home after signing out", v.get("/"), http.StatusOK, en(a, "signin.flash.signed_out"))
		if _, err := a.Auth.Session(context.Background(), token); err == nil {
			t.Error("the session still works after signing out")
		}
		v.cookies["sid"] = token // a copy of the old cookie is worth nothing
		if r := v.get("/account"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
			t.Errorf("old cookie after sign out: %d %q, want a redirect to sign in", r.Status, r.Location)
		}
		// Signing out with no session is harmless.
		if r := newVisitor(t, a, "198.51.100.11").post("/logout", nil); r.Status != http.StatusSeeOther {
			t.Errorf("sign out without a session: %d, want 303", r.Status)
		}
	})
}

func TestSignInKeepsNextAndRefusesOpenRedirects(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		account(t, a, "ben@example.org", "Ben Member", auth.RoleMember)
		v := newVisitor(t, a, "198.51.100.20")

		// A guarded page sends the visitor to sign in and back.
		r := v.get("/account")
		if r.Status != http.StatusSeeOther || r.Location != "/login?next=%2Faccount" {
			t.Fatalf("guarded page: %d %q", r.Status, r.Location)
		}
		must(t, "sign-in form with next", v.follow(r), http.StatusOK, `name="next" value="/account"`)

		for _, evil := range []string{"//evil.example", "https://evil.example/", `/\evil.example`, "//evil.example/%2e%2e"} {
			page := v.get("/login?next=" + url.QueryEscape(evil))
			must(t, "sign-in form with "+evil, page, http.StatusOK, `name="next" value="/dashboard"`)
			// (The language links repeat the query; they stay on this site.)
			mustNot(t, "sign-in form with "+evil, page, `value="`+html.EscapeString(evil), `href="//`, `href="https://evil`)
			got := v.post("/login", url.Values{"email": {"ben@example.org"}, "password": {passphrase}, "next": {evil}})
			if got.Status != http.StatusSeeOther || got.Location != "/dashboard" {
				t.Errorf("next=%s: %d %q, want a redirect to /dashboard", evil, got.Status, got.Location)
			}
			v.post("/logout", nil)
		}
		got := v.post("/login", url.Values{"email": {"ben@example.org"}, "password": {passphrase}, "next": {"/account?tab=1"}})
		if got.Location != "/account?tab=1" {
			t.Errorf("local next: redirected to %q, want /account?tab=1", got.Location)
		}
	})
}

func TestSignInLockoutAndClientLimit(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		account(t, a, "cruz@example.org", "Cruz Member", auth.RoleMember)
		v := newVisitor(t, a, "198.51.100.30")
		for i := 0; i < auth.LockAfter; i++ {
			r := v.post("/login", url.Values{"email": {"cruz@example.org"}, "password": {"guessing again and again"}})
			must(t, "wrong password", r, http.StatusUnprocessableEntity, en(a, auth.KeySignInFailed))
		}
		// Locked: even the right password gets the same answer, which mentions the pause.
		r := v.post("/login", url.Values{"email": {"cruz@example.org"}, "password": {passphrase}})
		must(t, "locked account", r, http.StatusUnprocessableEntity, en(a, auth.KeySignInFailed))
		if _, ok := v.cookies["sid"]; ok {
			t.Error("a locked account got a session")
		}

		// A client over its attempt budget is told how long to wait, in its language.
		ctx := context.Background()
		busy := newVisitor(t, a, "198.51.100.31")
		for i := 0; i < auth.ClientAttempts; i++ {
			if _, _, err := a.Limiter.Allow(ctx, "signin.client", busy.addr, auth.ClientAttempts, auth.ClientWindow); err != nil {
				t.Fatal(err)
			}
		}
		r = busy.post("/login?lang=es", url.Values{"email": {"cruz@example.org"}, "password": {passphrase}})
		must(t, "too many attempts", r, http.StatusTooManyRequests, "Demasiados intentos. Espere", `role="alert"`)
		if r.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After header")
		}
		// Another client is not affected.
		other := newVisitor(t, a, "198.51.100.32")
		must(t, "another client", other.post("/login", url.Values{"email": {"nobody@example.org"}, "password": {"x"}}),
			http.StatusUnprocessableEntity, en(a, auth.KeySignInFailed))
	})
}
