package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"solidarity/internal/app"
	"solidarity/internal/i18n"
	"solidarity/internal/testkit"
)

// open loads url in the tab of ctx and fails the test unless it answers 200.
func open(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	if resp.Status != 200 {
		t.Fatalf("open %s: status %d", url, resp.Status)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// text returns the trimmed visible text of the first element the CSS selector matches.
func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return strings.TrimSpace(s)
}

// langs are the languages every public page is checked in, Spanish first.
var langs = []string{"es", "en"}

func TestHomePageInEachLanguage(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		for _, lang := range langs {
			t.Run(lang, func(t *testing.T) {
				loc := a.Catalog.Localizer(lang)
				ctx := testkit.BrowserSession(t, browser, testkit.SessionOptions{})
				open(t, ctx, baseURL+"/?lang="+lang)
				if got := eval[string](t, ctx, "document.documentElement.lang"); got != lang {
					t.Errorf("<html lang> = %q, want %q", got, lang)
				}
				if got, want := text(t, ctx, "h1"), loc.T("home.title"); got != want {
					t.Errorf("heading = %q, want %q", got, want)
				}
				if got := eval[string](t, ctx, "document.title"); !strings.Contains(got, loc.T("home.title")) {
					t.Errorf("document title %q does not name the page", got)
				}
				if got := text(t, ctx, `.langs a[aria-current="true"]`); got != langName(lang) {
					t.Errorf("language switcher marks %q as current, want %q", got, langName(lang))
				}
				testkit.Axe(t, ctx)
			})
		}
	})
}

func langName(code string) string {
	for _, l := range i18n.Langs {
		if l.Code == code {
			return l.Name
		}
	}
	return code
}

// focusedIndex is the position of the focused element among the page's focusable
// elements in document order, -1 when none of them has focus.
const focusedIndex = `Array.from(document.querySelectorAll(
  'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'
)).indexOf(document.activeElement)`

const focusableCount = `document.querySelectorAll(
  'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'
).length`

// focusVisible reports how the focused element shows its focus: in the viewport, and with
// an outline a sighted keyboard user can see.
const focusVisible = `(() => {
  const el = document.activeElement, r = el.getBoundingClientRect(), s = getComputedStyle(el);
  const inView = r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 &&
    r.right <= innerWidth && r.bottom <= innerHeight;
  return (inView ? "" : "off-screen ") + (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 ? "" : "no outline");
})()`

func TestKeyboardOnly(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		ctx := testkit.BrowserSession(t, browser, testkit.SessionOptions{})
		open(t, ctx, baseURL+"/?lang=es")
		tab := func() {
			t.Helper()
			if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
				t.Fatalf("press Tab: %v", err)
			}
		}

		tab()
		if got := eval[string](t, ctx, "document.activeElement.className"); got != "skip" {
			t.Fatalf("first Tab focuses %q, want the skip link", eval[string](t, ctx, "document.activeElement.outerHTML"))
		}
		if got, want := text(t, ctx, "a.skip"), a.Catalog.Localizer("es").T("nav.skip"); got != want {
			t.Errorf("skip link says %q, want %q", got, want)
		}

		// Every focusable element gets focus, once, in document order, and shows it.
		n := eval[int](t, ctx, focusableCount)
		if n < 4 {
			t.Fatalf("only %d focusable elements on the home page", n)
		}
		for want := 0; want < n; want++ {
			if want > 0 {
				tab()
			}
			got := eval[int](t, ctx, focusedIndex)
			what := eval[string](t, ctx, "document.activeElement.outerHTML")
			if got != want {
				t.Fatalf("Tab #%d focuses element %d (%s), want element %d in document order", want+1, got, what, want)
			}
			if problem := eval[string](t, ctx, focusVisible); problem != "" {
				t.Errorf("focused %s: %s", what, problem)
			}
		}

		// Enter on the skip link moves focus to the main content.
		open(t, ctx, baseURL+"/?lang=es")
		tab()
		if err := chromedp.Do(ctx, chromedp.KeyEvent("\r")); err != nil {
			t.Fatal(err)
		}
		if got := eval[string](t, ctx, "document.activeElement.id"); got != "main" {
			t.Errorf("Enter on the skip link left focus on %q, want #main", got)
		}
	})
}

func TestHomePageWithoutJavaScript(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		ctx := testkit.BrowserSession(t, browser, testkit.SessionOptions{NoJavaScript: true})
		open(t, ctx, baseURL+"/?lang=es")
		if got, want := text(t, ctx, "h1"), a.Catalog.Localizer("es").T("home.title"); got != want {
			t.Errorf("heading without JavaScript = %q, want %q", got, want)
		}
		// The language switcher is a plain link: following it gives the English page.
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`.langs a[hreflang="en"]`)))
		if err != nil {
			t.Fatalf("follow the English link: %v", err)
		}
		if resp.Status != 200 {
			t.Fatalf("English link answered %d", resp.Status)
		}
		if got, want := text(t, ctx, "h1"), a.Catalog.Localizer("en").T("home.title"); got != want {
			t.Errorf("after choosing English the heading is %q, want %q", got, want)
		}
		// The choice is remembered: the bare home page stays English.
		open(t, ctx, baseURL+"/")
		if got := eval[string](t, ctx, "document.documentElement.lang"); got != "en" {
			t.Errorf("language choice not remembered: <html lang=%q>", got)
		}
	})
}

func TestSmallScreensAndZoom(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		for _, size := range []struct {
			name          string
			width, height int64
			scale         float64
		}{
			{"phone-360x740", 360, 740, 1},
			// 200% zoom of a 1280x900 window: half the CSS pixels, twice as large.
			{"zoom200-640x450", 640, 450, 2},
		} {
			for _, lang := range langs {
				t.Run(size.name+"-"+lang, func(t *testing.T) {
					ctx := testkit.BrowserSession(t, browser, testkit.SessionOptions{})
					testkit.Viewport(t, ctx, size.width, size.height, size.scale)
					open(t, ctx, baseURL+"/?lang="+lang)
					if w := eval[int64](t, ctx, "innerWidth"); w != size.width {
						t.Fatalf("viewport is %d px wide, want %d", w, size.width)
					}
					scroll := eval[[]int](t, ctx, "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
					if scroll[0] > scroll[1] {
						t.Errorf("page scrolls sideways: %d px of content in a %d px viewport", scroll[0], scroll[1])
					}
					// No element sticks out of the viewport on the right.
					wide := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("body *"))
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""))`)
					if len(wide) > 0 {
						t.Errorf("elements wider than the viewport: %v", wide)
					}
					path := testkit.Screenshot(t, ctx, strings.ReplaceAll(t.Name(), "/", "-"))
					t.Logf("screenshot: %s", path)
				})
			}
		}
	})
}
