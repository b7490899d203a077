package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/config"
	"solidarity/internal/testkit"
	"solidarity/internal/web"
)

// openApp builds a node on a fresh SQLite folder, without listening.
func openApp(t *testing.T) *app.App {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	a, err := app.Open(context.Background(), cfg, testkit.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// signInAs creates an account of role and returns a full session token, enrolling an
// authenticator app first when the role requires two-factor.
func signInAs(t *testing.T, a *app.App, role auth.Role) string {
	t.Helper()
	ctx := context.Background()
	email := string(role) + "@example.org"
	const password = "river stones carry quiet songs"
	if _, err := a.Auth.AdminCreateUser(ctx, email, "Holder of "+strings.ToUpper(string(role[:1]))+string(role[1:]), role, password); err != nil {
		t.Fatalf("create %s: %v", role, err)
	}
	g, err := a.Auth.SignIn(ctx, email, password, auth.Client{Key: "test-" + string(role)})
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

var wildcard = regexp.MustCompile(`\{[^}]+\}`)

// samplePath turns a route pattern into a request path, filling wildcards with 1.
func samplePath(pattern string) (method, path string) {
	method, path, found := strings.Cut(pattern, " ")
	if !found {
		method, path = "GET", pattern
	}
	path = strings.ReplaceAll(path, "{$}", "")
	path = strings.ReplaceAll(path, "...}", "}")
	return method, wildcard.ReplaceAllString(path, "1")
}

// Every route is walked with every role: a route whose access is a permission answers 403
// exactly to the roles the permission table denies, and never 401/403 to the others.
// Anonymous visitors are sent to sign in (GET) or refused with 401.
func TestRoleMatrix(t *testing.T) {
	a := openApp(t)
	tokens := map[auth.Role]string{}
	for _, role := range auth.Roles() {
		tokens[role] = signInAs(t, a, role)
	}
	h := a.Handler()
	for _, rt := range a.Web.Routes() {
		if rt.Pattern == "/" || strings.HasPrefix(rt.Pattern, "GET /static/") {
			continue
		}
		method, path := samplePath(rt.Pattern)
		request := func(token string) *httptest.ResponseRecorder {
			var body *strings.Reader
			if method == http.MethodPost {
				body = strings.NewReader(url.Values{}.Encode())
			} else {
				body = strings.NewReader("")
			}
			req := httptest.NewRequest(method, path, body)
			if method == http.MethodPost {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if token != "" {
				req.AddCookie(&http.Cookie{Name: "sid", Value: token})
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec
		}
		if rt.Access == web.Public && strings.HasPrefix(path, "/webhooks/") {
			// Providers' webhooks authenticate by their signature, not a session: an unsigned
			// call must be refused (400 or 403), never served.
			if rec := request(""); rec.Code != http.StatusBadRequest && rec.Code != http.StatusForbidden {
				t.Errorf("%s answered %d to an unsigned call, want 400 or 403", rt.Pattern, rec.Code)
			}
			continue
		}
		if rt.Access == web.Public {
			if rec := request(""); rec.Code == http.StatusForbidden || rec.Code == http.StatusUnauthorized {
				t.Errorf("%s is public but answered %d to a visitor", rt.Pattern, rec.Code)
			}
			continue
		}
		anon := request("")
		if method == http.MethodGet && (anon.Code != http.StatusSeeOther || !strings.HasPrefix(anon.Header().Get("Location"), "/login")) {
			t.Errorf("%s: visitor got %d %q, want a redirect to sign in", rt.Pattern, anon.Code, anon.Header().Get("Location"))
		}
		if method != http.MethodGet && anon.Code != http.StatusUnauthorized {
			t.Errorf("%s: visitor got %d, want 401", rt.Pattern, anon.Code)
		}
		for _, role := range auth.Roles() {
			allowed := rt.Access == web.SignedIn || role.Can(auth.Permission(rt.Access))
			rec := request(tokens[role])
			denied := rec.Code == http.StatusForbidden || rec.Code == http.StatusUnauthorized
			if allowed && denied {
				t.Errorf("%s: %s is allowed by the table but got %d", rt.Pattern, role, rec.Code)
			}
			if !allowed && rec.Code != http.StatusForbidden {
				t.Errorf("%s: %s is denied by the table but got %d", rt.Pattern, role, rec.Code)
			}
		}
	}
}

// No route is left out of the access table: every access is Public, SignedIn or a known
// permission.
func TestEveryRouteHasKnownAccess(t *testing.T) {
	a := openApp(t)
	known := map[web.Access]bool{web.Public: true, web.SignedIn: true}
	for _, p := range auth.Permissions() {
		known[web.Access(p)] = true
	}
	for _, rt := range a.Web.Routes() {
		if !known[rt.Access] {
			t.Errorf("%s has unknown access %q", rt.Pattern, rt.Access)
		}
	}
}
