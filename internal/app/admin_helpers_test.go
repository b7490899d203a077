package app_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/audit"
	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/vault"
)

// adminEachApp runs fn on a fresh node of every dialect testkit.Dialects lists, with a
// cheap vault passphrase cost so that vault tests stay fast.
func adminEachApp(t *testing.T, fn func(t *testing.T, a *app.App)) {
	eachApp(t, func(t *testing.T, a *app.App) {
		a.Vault.KDF = vault.KDFParams{Time: 1, MemoryKiB: 8 * 1024, Threads: 1}
		fn(t, a)
	})
}

// adminAgent is one signed-in browser: a session cookie and a language.
type adminAgent struct {
	t     *testing.T
	a     *app.App
	token string
	lang  string
	flash string
}

// adminAs signs in a new account of role (enrolling TOTP when the role needs it) and
// returns its browser, in English.
func adminAs(t *testing.T, a *app.App, role auth.Role) *adminAgent {
	t.Helper()
	return &adminAgent{t: t, a: a, token: signInAs(t, a, role), lang: "en"}
}

// adminPage is what the browser saw of one answer, the body unescaped for matching.
type adminPage struct {
	Status   int
	Header   http.Header
	Raw      string // the body as sent
	Body     string // the body with HTML entities decoded
	Location string
}

func (g *adminAgent) send(req *http.Request) adminPage {
	g.t.Helper()
	req.AddCookie(&http.Cookie{Name: "sid", Value: g.token})
	req.AddCookie(&http.Cookie{Name: "lang", Value: g.lang})
	if g.flash != "" {
		req.AddCookie(&http.Cookie{Name: "flash", Value: g.flash})
		g.flash = ""
	}
	rec := httptest.NewRecorder()
	g.a.Handler().ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "flash" && c.MaxAge > 0 {
			g.flash = c.Value
		}
	}
	raw := rec.Body.String()
	return adminPage{Status: rec.Code, Header: rec.Header(), Raw: raw, Body: html.UnescapeString(raw), Location: rec.Header().Get("Location")}
}

// get fetches path.
func (g *adminAgent) get(path string) adminPage {
	g.t.Helper()
	return g.send(httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends form to path as a browser form would.
func (g *adminAgent) post(path string, form url.Values) adminPage {
	g.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return g.send(req)
}

// postDone posts form and expects a 303 to want, then follows it and returns that page
// (which shows the flash notice).
func (g *adminAgent) postDone(path string, form url.Values, want string) adminPage {
	g.t.Helper()
	p := g.post(path, form)
	if p.Status != http.StatusSeeOther || p.Location != want {
		g.t.Fatalf("POST %s: %d to %q, want 303 to %q\n%s", path, p.Status, p.Location, want, adminExcerpt(p.Body))
	}
	return g.get(want)
}

// tr translates key in the agent's language, as a page would show it.
func (g *adminAgent) tr(key string, data ...any) string {
	return g.a.Catalog.Localizer(g.lang).T(key, data...)
}

// expect fails unless the page has status and contains every fragment.
func (p adminPage) expect(t *testing.T, what string, status int, fragments ...string) {
	t.Helper()
	if p.Status != status {
		t.Errorf("%s: status %d, want %d\n%s", what, p.Status, status, adminExcerpt(p.Body))
	}
	for _, f := range fragments {
		if !strings.Contains(p.Body, f) {
			t.Errorf("%s: page lacks %q\n%s", what, f, adminExcerpt(p.Body))
		}
	}
}

// lacks fails when the page contains any fragment.
func (p adminPage) lacks(t *testing.T, what string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if strings.Contains(p.Body, f) {
			t.Errorf("%s: page has %q", what, f)
		}
	}
}

// adminExcerpt is the main part of a page, for failure messages.
func adminExcerpt(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	if len(body) > 3000 {
		body = body[:3000] + "…"
	}
	return body
}

// adminAudited returns the newest audit entries of action (a prefix), failing the test when
// there are none.
func adminAudited(t *testing.T, a *app.App, action string) []audit.Stored {
	t.Helper()
	entries, err := audit.List(context.Background(), a.DB, audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatalf("no audit entry for %s", action)
	}
	return entries
}

// adminBypassAuditGuard drops the audit log's append-only triggers, as someone with raw
// database access could (internal/audit's tests do the same).
func adminBypassAuditGuard(t *testing.T, d *db.DB) {
	t.Helper()
	stmts := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	if d.Dialect() == db.Postgres {
		stmts = []string{"ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"}
	}
	for _, s := range stmts {
		if _, err := d.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("bypass the audit trigger: %v", err)
		}
	}
}
