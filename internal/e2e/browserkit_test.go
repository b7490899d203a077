package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"solidarity/internal/testkit"
)

// These tests check the browser helper itself on small pages served here, so that a
// green browser suite means what it says.

// TestAxeRunsUnderStrictCSP confirms that axe-core, injected through the DevTools
// protocol, runs on a page whose Content-Security-Policy forbids every script, and that it
// reports real violations.
func TestAxeRunsUnderStrictCSP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'none'; img-src data:")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><html><head><title>untouched</title></head><body>
<script>document.title = "script ran"</script>
<main><h1>Test</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACwAAAAAAQABAAA="></main></body></html>`))
	}))
	defer srv.Close()

	ctx := testkit.Browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title != "untouched" {
		t.Fatalf("the page's inline script ran (title %q), so its CSP was not in force", title)
	}
	violations, err := testkit.AxeViolations(t, ctx)
	if err != nil {
		t.Fatalf("axe under a script-src 'none' CSP: %v", err)
	}
	var ids []string
	for _, v := range violations {
		ids = append(ids, v.ID)
		if v.Help == "" || len(v.Nodes) == 0 || v.Nodes[0].Target == "" {
			t.Errorf("violation %s lacks its help or its elements: %+v", v.ID, v)
		}
	}
	for _, want := range []string{"html-has-lang", "image-alt"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe did not report %s on a page that breaks it; got %v", want, ids)
		}
	}
}

// TestBrowserSessions checks that a second session has its own cookies and that a
// NoJavaScript session runs no page script, across navigations.
func TestBrowserSessions(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/set" {
			http.SetCookie(w, &http.Cookie{Name: "who", Value: "first", Path: "/"})
		}
		who := "nobody"
		if c, err := r.Cookie("who"); err == nil {
			who = c.Value
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><html lang="en"><head><title>t</title></head><body>
<p id="who">` + who + `</p><p id="js">scripts off</p>
<script>document.getElementById("js").textContent = "scripts on"</script></body></html>`))
	}))
	defer srv.Close()

	first := testkit.Browser(t)
	second := testkit.BrowserSession(t, first, testkit.SessionOptions{})
	noJS := testkit.BrowserSession(t, first, testkit.SessionOptions{NoJavaScript: true})

	text := func(ctx context.Context, url, id string) string {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
			t.Fatalf("navigate %s: %v", url, err)
		}
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id)))
		if err != nil {
			t.Fatalf("read #%s: %v", id, err)
		}
		return strings.TrimSpace(s)
	}
	text(first, srv.URL+"/set", "who")
	if got := text(first, srv.URL+"/", "who"); got != "first" {
		t.Fatalf("first session's cookie: %q", got)
	}
	if got := text(second, srv.URL+"/", "who"); got != "nobody" {
		t.Errorf("second session sees the first one's cookie (%q)", got)
	}
	if got := text(first, srv.URL+"/", "js"); got != "scripts on" {
		t.Errorf("normal session: %q, want scripts to run", got)
	}
	for range 2 { // the setting must survive a navigation
		if got := text(noJS, srv.URL+"/", "js"); got != "scripts off" {
			t.Errorf("NoJavaScript session: %q, want no script to run", got)
		}
	}
}
