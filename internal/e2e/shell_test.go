package e2e

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/config"
	"solidarity/internal/db"
	"solidarity/internal/testkit"
)

// securityHeaders are the headers every response must carry, with their exact values.
var securityHeaders = map[string]string{
	"X-Content-Type-Options":       "nosniff",
	"Referrer-Policy":              "no-referrer",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
	"X-Frame-Options":              "DENY",
	"Cache-Control":                "no-store",
}

// checkSecurityHeaders fails when a security header is missing or weakened on r.
func checkSecurityHeaders(t *testing.T, what string, r response) {
	t.Helper()
	for name, want := range securityHeaders {
		if got := r.Header.Get(name); got != want {
			t.Errorf("%s: %s = %q, want %q", what, name, got, want)
		}
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, directive := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"} {
		if !strings.Contains(csp, directive) {
			t.Errorf("%s: Content-Security-Policy %q lacks %q", what, csp, directive)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("%s: Content-Security-Policy allows unsafe scripts: %q", what, csp)
	}
	if r.Header.Get("Permissions-Policy") == "" {
		t.Errorf("%s: no Permissions-Policy", what)
	}
}

func TestProbes(t *testing.T) {
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		for _, tc := range []struct{ path, body string }{
			{"/healthz", "ok"},
			{"/readyz", "ready"},
		} {
			r := do(t, "GET", baseURL+tc.path, nil, nil)
			if r.Status != http.StatusOK || strings.TrimSpace(r.Body) != tc.body {
				t.Errorf("GET %s = %d %q, want 200 %q", tc.path, r.Status, r.Body, tc.body)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				t.Errorf("GET %s: Content-Type %q, want text/plain", tc.path, ct)
			}
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		home := do(t, "GET", baseURL+"/", nil, nil)
		if home.Status != http.StatusOK {
			t.Fatalf("GET / = %d, want 200", home.Status)
		}
		checkSecurityHeaders(t, "home page", home)

		missing := do(t, "GET", baseURL+"/no/such/page", nil, nil)
		if missing.Status != http.StatusNotFound {
			t.Errorf("GET /no/such/page = %d, want 404", missing.Status)
		}
		want := html.EscapeString(a.Catalog.Localizer("en").T("error.not_found"))
		if !strings.Contains(missing.Body, want) {
			t.Errorf("404 page does not say %q", want)
		}
		checkSecurityHeaders(t, "404 page", missing)

		if hsts := home.Header.Get("Strict-Transport-Security"); hsts != "" {
			t.Errorf("plain-HTTP node sends Strict-Transport-Security %q", hsts)
		}
	})
}

func TestHSTSWhenServedOverHTTPS(t *testing.T) {
	baseURL, _ := startNode(t, db.SQLite, func(c *config.Config) { c.BaseURL = "https://solidarity.example" })
	r := do(t, "GET", baseURL+"/", nil, nil)
	if hsts := r.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("node with an https:// base URL: Strict-Transport-Security = %q, want max-age", hsts)
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		form := func() *strings.Reader { return strings.NewReader("name=x") }
		evil := do(t, "POST", baseURL+"/", map[string]string{
			"Origin":          "https://evil.example",
			"Sec-Fetch-Site":  "cross-site",
			"Content-Type":    "application/x-www-form-urlencoded",
			"Accept-Language": "es",
		}, form())
		if evil.Status != http.StatusForbidden {
			t.Fatalf("cross-site POST = %d, want 403", evil.Status)
		}
		want := html.EscapeString(a.Catalog.Localizer("es").T("error.cross_origin"))
		if !strings.Contains(evil.Body, want) {
			t.Errorf("403 page does not say, in Spanish, %q:\n%s", want, evil.Body)
		}
		checkSecurityHeaders(t, "403 page", evil)

		// An old browser sends no Sec-Fetch-Site: the Origin alone must be enough.
		old := do(t, "POST", baseURL+"/", map[string]string{"Origin": "https://evil.example"}, form())
		if old.Status != http.StatusForbidden {
			t.Errorf("cross-origin POST without Sec-Fetch-Site = %d, want 403", old.Status)
		}

		// The same request from the site itself passes the check (and reaches routing).
		same := do(t, "POST", baseURL+"/", map[string]string{
			"Origin": baseURL, "Sec-Fetch-Site": "same-origin",
			"Content-Type": "application/x-www-form-urlencoded",
		}, form())
		if same.Status == http.StatusForbidden {
			t.Errorf("same-origin POST was refused as cross-origin")
		}
	})
}

func TestLanguageNegotiation(t *testing.T) {
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		for _, tc := range []struct {
			name, query, acceptLanguage, cookie, want string
		}{
			{"Spanish browser", "", "es-MX,es;q=0.9,en;q=0.5", "", "es"},
			{"English browser", "", "en-US,en;q=0.9", "", "en"},
			{"unsupported language falls back to English", "", "fr-FR,fr;q=0.9", "", "en"},
			{"no header", "", "", "", "en"},
			{"Spanish preferred over English", "", "en;q=0.3,es;q=0.8", "", "es"},
			{"?lang wins over the browser", "?lang=en", "es", "", "en"},
			{"cookie wins over the browser", "", "es", "en", "en"},
			{"unknown ?lang is ignored", "?lang=xx", "es", "", "es"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				h := map[string]string{}
				if tc.acceptLanguage != "" {
					h["Accept-Language"] = tc.acceptLanguage
				}
				if tc.cookie != "" {
					h["Cookie"] = "lang=" + tc.cookie
				}
				r := do(t, "GET", baseURL+"/"+tc.query, h, nil)
				if r.Status != http.StatusOK {
					t.Fatalf("GET / = %d", r.Status)
				}
				if !strings.Contains(r.Body, `<html lang="`+tc.want+`"`) {
					t.Errorf("page is not marked lang=%q", tc.want)
				}
				if got := r.Header.Get("Content-Language"); got != tc.want {
					t.Errorf("Content-Language = %q, want %q", got, tc.want)
				}
				title := html.EscapeString(a.Catalog.Localizer(tc.want).T("home.title"))
				if !strings.Contains(r.Body, title) {
					t.Errorf("home page does not show its %s title %q", tc.want, title)
				}
			})
		}

		// Choosing a language with ?lang= is remembered in a cookie.
		r := do(t, "GET", baseURL+"/?lang=es", nil, nil)
		var remembered bool
		for _, c := range (&http.Response{Header: r.Header}).Cookies() {
			if c.Name == "lang" && c.Value == "es" && c.HttpOnly && c.SameSite == http.SameSiteLaxMode {
				remembered = true
			}
		}
		if !remembered {
			t.Errorf("?lang=es set no HttpOnly SameSite=Lax lang cookie: %v", r.Header.Values("Set-Cookie"))
		}
	})
}

// TestTwoNodesShareOnePostgres starts two app nodes on the same PostgreSQL schema, as
// behind a load balancer: the second one must find the schema migrated and both must serve.
func TestTwoNodesShareOnePostgres(t *testing.T) {
	hasPostgres := false
	for _, d := range testkit.Dialects(t) {
		hasPostgres = hasPostgres || d == db.Postgres
	}
	if !hasPostgres {
		testkit.SkipOrFail(t, "postgres", "SOLIDARITY_TEST_POSTGRES is not set")
	}
	first, a := startNode(t, db.Postgres, nil)
	second, _ := startNode(t, db.Postgres, func(c *config.Config) { c.DatabaseURL = a.Config.DatabaseURL })
	if first == second {
		t.Fatalf("both nodes listen on %s", first)
	}
	title := html.EscapeString(a.Catalog.Localizer("es").T("home.title"))
	for _, base := range []string{first, second, first} {
		if r := do(t, "GET", base+"/readyz", nil, nil); r.Status != http.StatusOK {
			t.Errorf("%s/readyz = %d, want 200", base, r.Status)
		}
		r := do(t, "GET", base+"/", map[string]string{"Accept-Language": "es"}, nil)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, title) {
			t.Errorf("%s/ = %d, want 200 with the Spanish home page", base, r.Status)
		}
	}
}
