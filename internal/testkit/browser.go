package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// browserBudget bounds every action run on a browser context, so that a hung page fails
// its test instead of the whole `go test` run.
const browserBudget = 5 * time.Minute

// ChromiumPath is the browser the browser tests start: $SOLIDARITY_CHROMIUM, else Debian's
// /usr/bin/chromium.
func ChromiumPath() string {
	if p := os.Getenv("SOLIDARITY_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// Browser starts a headless chromium for this test, with a fresh profile, and returns the
// context of its first tab. The browser stops when the test ends. When chromium is missing
// the test is skipped, or fails when SOLIDARITY_TEST_REQUIRE lists "browser".
func Browser(t testing.TB) context.Context {
	t.Helper()
	bin := ChromiumPath()
	if _, err := os.Stat(bin); err != nil {
		SkipOrFail(t, "browser", fmt.Sprintf("no chromium at %s (apt-get install -y chromium, or set SOLIDARITY_CHROMIUM)", bin))
	}
	var out syncBuffer
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin),
		chromedp.Headless, // also hides scrollbars (so they take no width) and mutes audio
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.CombinedOutput(&out),
	)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	// The first Do starts the browser; its life is bound to ctx, which has no deadline.
	if err := chromedp.Do(ctx); err != nil {
		cancelTab()
		cancelAlloc()
		if Required("browser") {
			t.Fatalf("start chromium %s: %v\n%s", bin, err, tail(out.String(), 2000))
		}
		SkipOrFail(t, "browser", fmt.Sprintf("chromium %s did not start: %v", bin, err))
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		_ = chromedp.Cancel(stop) // closes the browser gracefully and waits for it
		cancelTab()
		cancelAlloc()
	})
	return withBudget(t, ctx)
}

// SessionOptions shape a second browser session.
type SessionOptions struct {
	// NoJavaScript turns script execution off in the session's tab, to check that a page
	// works without JavaScript. It stays off across navigations in that tab.
	NoJavaScript bool
}

// BrowserSession opens a tab in a new, independent browser context (like an incognito
// window: its own cookies, storage and cache) of the browser that browserCtx belongs to, so
// that one test can act as several users. It is closed when the test ends.
func BrowserSession(t testing.TB, browserCtx context.Context, opts SessionOptions) context.Context {
	t.Helper()
	if chromedp.FromContext(browserCtx) == nil {
		t.Fatal("testkit.BrowserSession: the context does not come from testkit.Browser")
	}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		t.Fatalf("open browser session: %v", err)
	}
	if opts.NoJavaScript {
		DisableJavaScript(t, ctx)
	}
	return withBudget(t, ctx)
}

// DisableJavaScript turns script execution off in the tab of ctx (Emulation.setScriptExecutionDisabled):
// page scripts no longer run, in this page and the next ones the tab loads.
func DisableJavaScript(t testing.TB, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
}

// Viewport sets the tab's layout viewport to width×height CSS pixels at the device scale
// factor (a phone: 360, 740, 1; 200% zoom of a 1280 px window: 640, 450, 2).
func Viewport(t testing.TB, ctx context.Context, width, height int64, scale float64) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, chromedp.EmulateScale(scale))); err != nil {
		t.Fatalf("viewport %dx%d@%g: %v", width, height, scale, err)
	}
}

// Screenshot saves a PNG of the tab's whole page under the test's temporary folder and
// returns its path. Screenshots are never written into the repository.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := os.Getenv("SOLIDARITY_SCREENSHOTS") // a developer may keep them to look at
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o600); err != nil {
		t.Fatalf("save screenshot: %v", err)
	}
	return path
}

// withBudget derives a context whose actions end after browserBudget; only actions run on
// it are bounded, the browser and tab live until the test ends.
func withBudget(t testing.TB, ctx context.Context) context.Context {
	ctx, cancel := context.WithTimeout(ctx, browserBudget)
	t.Cleanup(cancel)
	return ctx
}

// RepoRoot returns the repository's root folder: the nearest parent of the working
// directory (a test's package folder) that holds go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("testkit: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testkit: no go.mod above the working directory")
		}
		dir = parent
	}
}

// syncBuffer collects the browser's output (first 64 KiB) for error messages.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() < 64<<10 {
		b.buf.Write(p)
	}
	return len(p), nil
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// axeTags are the rule sets Axe runs: WCAG 2.0 and 2.1, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// AxeViolation is one failed axe-core rule with the elements that fail it.
type AxeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	URL    string    `json:"helpUrl"`
	Nodes  []AxeNode `json:"nodes"`
}

// AxeNode is one element that fails a rule: its CSS target and axe's summary of the fix.
type AxeNode struct {
	Target  string `json:"target"`
	Summary string `json:"summary"`
}

// AxeScriptPath finds axe.min.js of the axe-core npm package: $SOLIDARITY_AXE_JS, else
// .ci/node_modules/axe-core/axe.min.js under the repository root (where .ci/run installs it).
func AxeScriptPath() (string, error) {
	if p := os.Getenv("SOLIDARITY_AXE_JS"); p != "" {
		return p, nil
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, ".ci", "node_modules", "axe-core", "axe.min.js"), nil
}

// Axe checks the page in the tab of ctx with axe-core's WCAG 2.0/2.1 A and AA rules and
// fails the test with every violation (rule, impact, help and the elements). axe-core is
// injected through the DevTools protocol (Runtime.evaluate), which the page's
// Content-Security-Policy does not govern, so the page needs no script of its own. The tab
// must run scripts (not a NoJavaScript session). When axe-core is missing the test is
// skipped, or fails when SOLIDARITY_TEST_REQUIRE lists "browser".
func Axe(t testing.TB, ctx context.Context) {
	t.Helper()
	violations, err := AxeViolations(t, ctx)
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	if len(violations) == 0 {
		return
	}
	url, _ := chromedp.Run(ctx, chromedp.Location())
	var b strings.Builder
	fmt.Fprintf(&b, "axe: %d accessibility violation(s) on %s:", len(violations), url)
	for _, v := range violations {
		fmt.Fprintf(&b, "\n- %s (%s): %s <%s>", v.ID, v.Impact, v.Help, v.URL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    at %s: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
		}
	}
	t.Error(b.String())
}

// AxeViolations runs axe-core as Axe does and returns the violations instead of failing.
func AxeViolations(t testing.TB, ctx context.Context) ([]AxeViolation, error) {
	t.Helper()
	path, err := AxeScriptPath()
	if err != nil {
		SkipOrFail(t, "browser", "axe-core: "+err.Error())
	}
	src, err := os.ReadFile(path)
	if err != nil {
		SkipOrFail(t, "browser", fmt.Sprintf("axe-core not found (npm install --prefix .ci axe-core@4, or set SOLIDARITY_AXE_JS): %v", err))
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
		return nil, fmt.Errorf("inject axe-core: %w", err)
	}
	tags, _ := json.Marshal(axeTags)
	run := `axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}, resultTypes: ["violations"]})
  .then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({
      target: n.target.map(s => Array.isArray(s) ? s.join(" >>> ") : s).join(", "),
      summary: n.failureSummary || ""
    }))
  })))`
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]AxeViolation](run, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	return violations, nil
}
