package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"solidarity/internal/config"
	"solidarity/internal/db"
	"solidarity/internal/i18n"
	"solidarity/internal/testkit"
)

func newTestServer(t *testing.T, mutate func(*config.Config)) *Server {
	t.Helper()
	cfg := config.Default()
	if mutate != nil {
		mutate(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Deps{Config: &cfg, Log: testkit.Logger(), DB: testkit.NewDB(t, db.SQLite), Catalog: cat, Registry: prometheus.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type scenario struct {
	name    string
	method  string
	target  string
	headers map[string]string
	body    string
	status  int
	contain []string
	absent  []string
	header  map[string]string
}

func (sc scenario) run(t *testing.T, h http.Handler) {
	t.Helper()
	var body io.Reader
	if sc.body != "" {
		body = strings.NewReader(sc.body)
	}
	method := sc.method
	if method == "" {
		method = http.MethodGet
	}
	req := httptest.NewRequest(method, sc.target, body)
	for k, v := range sc.headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	got := rec.Body.String()
	if rec.Code != sc.status {
		t.Errorf("%s: status %d, want %d\n%s", sc.name, rec.Code, sc.status, got)
	}
	for _, c := range sc.contain {
		if !strings.Contains(got, c) {
			t.Errorf("%s: body lacks %q", sc.name, c)
		}
	}
	for _, c := range sc.absent {
		if strings.Contains(got, c) {
			t.Errorf("%s: body has %q", sc.name, c)
		}
	}
	for k, v := range sc.header {
		if hv := rec.Header().Get(k); !strings.Contains(hv, v) {
			t.Errorf("%s: header %s = %q, want it to contain %q", sc.name, k, hv, v)
		}
	}
}

func TestShell(t *testing.T) {
	s := newTestServer(t, nil)
	scenarios := []scenario{
		{name: "home in English", target: "/", status: 200,
			contain: []string{`<html lang="en"`, "Skip to main content", `<main id="main"`, `aria-current="true">English`},
			header:  map[string]string{"Content-Security-Policy": "frame-ancestors 'none'", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cross-Origin-Opener-Policy": "same-origin"}},
		{name: "home by Accept-Language", target: "/", headers: map[string]string{"Accept-Language": "es-MX,es;q=0.9"}, status: 200,
			contain: []string{`<html lang="es"`, "Saltar al contenido principal"}},
		{name: "home by ?lang", target: "/?lang=es", headers: map[string]string{"Accept-Language": "en"}, status: 200,
			contain: []string{`<html lang="es"`}, header: map[string]string{"Set-Cookie": "lang=es"}},
		{name: "cookie wins over header", target: "/", headers: map[string]string{"Cookie": "lang=es", "Accept-Language": "en"}, status: 200,
			contain: []string{`<html lang="es"`}},
		{name: "unknown page is a translated 404", target: "/no/such/page?lang=es", status: 404, contain: []string{"No encontramos esa página"}},
		{name: "healthz", target: "/healthz", status: 200, contain: []string{"ok"}},
		{name: "readyz", target: "/readyz", status: 200, contain: []string{"ready"}},
		{name: "metrics off by default", target: "/metrics", status: 404},
		{name: "cross-origin post refused", method: "POST", target: "/", headers: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, status: 403,
			contain: []string{"another site"}},
		{name: "static file cached", target: s.static.url("app.css"), status: 200, header: map[string]string{"Cache-Control": "immutable", "Content-Type": "text/css"}},
		{name: "no HSTS without TLS", target: "/", status: 200, absent: []string{"Strict-Transport-Security"}},
	}
	for _, sc := range scenarios {
		sc.run(t, s)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Header().Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent without TLS")
	}
}

func TestHSTSAndMetricsToken(t *testing.T) {
	s := newTestServer(t, func(c *config.Config) {
		c.BaseURL = "https://network.example"
		c.MetricsToken = "s3cret-token"
	})
	scenario{name: "hsts", target: "/", status: 200, header: map[string]string{"Strict-Transport-Security": "max-age="}}.run(t, s)
	scenario{name: "metrics without token", target: "/metrics", status: 401}.run(t, s)
	// One request first so that the route counter exists.
	scenario{name: "metrics with token", target: "/metrics", headers: map[string]string{"Authorization": "Bearer s3cret-token"}, status: 200,
		contain: []string{`solidarity_http_requests_total{method="GET",route="GET /{$}",status="200"}`, "solidarity_http_request_duration_seconds"}}.run(t, s)
}

func TestBodyLimit(t *testing.T) {
	s := newTestServer(t, nil)
	big := strings.Repeat("a", maxBody+10)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			s.fail(w, r, err)
			return
		}
		w.WriteHeader(200)
	})
	wrapped := s.middleware(func() *http.ServeMux { m := http.NewServeMux(); m.Handle("POST /form", h); return m }())
	scenario{name: "oversized form", method: "POST", target: "/form", headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
		body: "x=" + big, status: 413, contain: []string{"too large"}}.run(t, wrapped)
}
