package app_test

import (
	"context"
	"encoding/json"
	"html"
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
	"solidarity/internal/db"
	"solidarity/internal/notify"
	"solidarity/internal/testkit"
)

// eachApp runs fn on a fresh node of every dialect testkit.Dialects lists, without
// listening: requests go straight to its handler.
func eachApp(t *testing.T, fn func(t *testing.T, a *app.App)) {
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			cfg := config.Default()
			cfg.DataDir = t.TempDir()
			if dialect == db.Postgres {
				cfg.DatabaseURL = testkit.FreshSchema(t)
			}
			a, err := app.Open(context.Background(), cfg, testkit.Logger())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close() })
			fn(t, a)
		})
	}
}

// visitor is one browser: its own cookies, address and user agent.
type visitor struct {
	t       *testing.T
	a       *app.App
	addr    string
	agent   string
	cookies map[string]string
}

func newVisitor(t *testing.T, a *app.App, addr string) *visitor {
	return &visitor{t: t, a: a, addr: addr, cookies: map[string]string{},
		agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"}
}

// answer is what the visitor saw of one response.
type answer struct {
	Status   int
	Location string
	Header   http.Header
	Body     string
}

func (v *visitor) send(req *http.Request) answer {
	v.t.Helper()
	req.RemoteAddr = v.addr + ":40000"
	req.Header.Set("User-Agent", v.agent)
	for name, value := range v.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	rec := httptest.NewRecorder()
	v.a.Handler().ServeHTTP(rec, req)
	res := rec.Result()
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(v.cookies, c.Name)
		} else {
			v.cookies[c.Name] = c.Value
		}
	}
	return answer{Status: rec.Code, Location: rec.Header().Get("Location"), Header: rec.Header(), Body: rec.Body.String()}
}

func (v *visitor) get(path string) answer {
	v.t.Helper()
	return v.send(httptest.NewRequest(http.MethodGet, path, nil))
}

func (v *visitor) post(path string, form url.Values) answer {
	v.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return v.send(req)
}

func (v *visitor) postJSON(path, body string) answer {
	v.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return v.send(req)
}

// follow loads the page a redirect points to.
func (v *visitor) follow(r answer) answer {
	v.t.Helper()
	if r.Status != http.StatusSeeOther || r.Location == "" {
		v.t.Fatalf("want a 303 redirect, got %d (%q)", r.Status, r.Location)
	}
	return v.get(r.Location)
}

// signIn posts the sign-in form and fails unless it redirects to want.
func (v *visitor) signIn(email, password, want string) answer {
	v.t.Helper()
	r := v.post("/login", url.Values{"email": {email}, "password": {password}})
	if r.Status != http.StatusSeeOther || r.Location != want {
		v.t.Fatalf("sign in %s: %d %q, want a redirect to %q\n%s", email, r.Status, r.Location, want, r.Body)
	}
	return r
}

// en and es translate a key as the pages show it (HTML-escaped).
func en(a *app.App, key string, data ...any) string {
	return html.EscapeString(a.Catalog.Localizer("en").T(key, data...))
}

func es(a *app.App, key string, data ...any) string {
	return html.EscapeString(a.Catalog.Localizer("es").T(key, data...))
}

// must fails unless r has status and its body holds every fragment.
func must(t *testing.T, what string, r answer, status int, fragments ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.Status, status, r.Body)
	}
	for _, f := range fragments {
		if !strings.Contains(r.Body, f) {
			t.Errorf("%s: page lacks %q", what, f)
		}
	}
}

// mustNot fails when the body holds any fragment.
func mustNot(t *testing.T, what string, r answer, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if strings.Contains(r.Body, f) {
			t.Errorf("%s: page has %q", what, f)
		}
	}
}

const passphrase = "river stones carry quiet songs"

// account creates an account with the test passphrase.
func account(t *testing.T, a *app.App, email, name string, role auth.Role) auth.Account {
	t.Helper()
	acc, err := a.Auth.AdminCreateUser(context.Background(), email, name, role, passphrase)
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return acc
}

var secretRe = regexp.MustCompile(`<code class="secret" id="totp-secret">([A-Z2-7 ]+)</code>`)

// secretOn reads the authenticator key the set-up page shows as text.
func secretOn(t *testing.T, r answer) string {
	t.Helper()
	m := secretRe.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no authenticator key on the page:\n%s", r.Body)
	}
	return strings.ReplaceAll(m[1], " ", "")
}

// codeAt is the authenticator app's code for secret at now+offset.
func codeAt(t *testing.T, secret string, offset time.Duration) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, time.Now().Add(offset))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var recoveryRe = regexp.MustCompile(`<li><code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})</code></li>`)

// recoveryCodesOn reads the recovery codes a page shows.
func recoveryCodesOn(r answer) []string {
	var out []string
	for _, m := range recoveryRe.FindAllStringSubmatch(r.Body, -1) {
		out = append(out, m[1])
	}
	return out
}

var linkRe = regexp.MustCompile(`https?://[^\s"<>]+`)

// mailedPath returns the path of the link in the last mail of purpose to address, read from
// the built-in outbox (no SMTP server is configured in tests).
func mailedPath(t *testing.T, a *app.App, to, purpose string) string {
	t.Helper()
	list, err := a.Notify.Outbox(context.Background(), notify.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range list.Deliveries {
		if d.To != to || d.Purpose != purpose {
			continue
		}
		link := linkRe.FindString(d.Text)
		u, err := url.Parse(link)
		if err != nil || link == "" {
			t.Fatalf("no link in the %s mail: %q", purpose, d.Text)
		}
		return u.Path
	}
	t.Fatalf("no %s mail to %s in the outbox", purpose, to)
	return ""
}

// jsonOf decodes a JSON answer.
func jsonOf(t *testing.T, r answer) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
		t.Fatalf("answer is not JSON (%d): %v\n%s", r.Status, err, r.Body)
	}
	return m
}
