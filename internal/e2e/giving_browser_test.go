package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/config"
	"solidarity/internal/giving"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/testkit"
)

// givingSecret signs the browser suite's Stripe events.
const givingSecret = "whsec_e2e"

// givingNode runs fn on a fresh node of every dialect with card giving on (stripe-mock),
// a published donation page and a paid membership tier.
func givingNode(t *testing.T, fn func(t *testing.T, baseURL string, a *app.App, tier people.Tier)) {
	stripeURL := testkit.StripeMock(t)
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			baseURL, a := startNode(t, dialect, func(c *config.Config) {
				c.StripeSecretKey, c.StripeAPIBase, c.StripeWebhookSecret = testkit.StripeKey, stripeURL, givingSecret
			})
			ctx := context.Background()
			sys := auth.System("e2e")
			if _, err := a.Giving.SavePage(ctx, sys, 0, giving.Page{Slug: "bail-fund", TitleEn: "Bail fund", TitleEs: "Fondo de fianzas",
				StoryEn:  "When a neighbour is detained, bail brings them home.\n\nEvery gift counts.",
				StoryEs:  "Cuando detienen a un vecino, la fianza lo trae a casa.\n\nCada donación cuenta.",
				ThanksEn: "Thank you for bringing a neighbour home.", ThanksEs: "Gracias por traer a un vecino a casa.",
				Amounts: []int64{1000, 2500, 5000, 10000}, AllowCustom: true, Currency: "usd", Frequency: giving.FrequencyBoth,
				GoalCents: 2_000_000, Published: true}); err != nil {
				t.Fatal(err)
			}
			tier, err := a.People.SaveTier(ctx, sys, 0, people.Tier{NameEn: "Sustaining member", NameEs: "Miembro sostenedor",
				AmountCents: 1500, Currency: "USD", Period: people.PeriodYearly, Active: true})
			if err != nil {
				t.Fatal(err)
			}
			fn(t, baseURL, a, tier)
		})
	}
}

// givingCheckoutStub answers, inside the browser, every request to Stripe Checkout with a
// small page of our own (the suite has no Internet), and records the addresses asked for.
type givingCheckoutStub struct {
	mu   sync.Mutex
	urls []string
}

func (s *givingCheckoutStub) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.urls...)
}

// givingStubCheckout intercepts https://checkout.stripe.com/* in the tab of ctx.
func givingStubCheckout(t *testing.T, ctx context.Context) *givingCheckoutStub {
	t.Helper()
	stub := &givingCheckoutStub{}
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: "https://checkout.stripe.com/*"}}}); err != nil {
		t.Fatalf("intercept Checkout: %v", err)
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			stub.mu.Lock()
			stub.urls = append(stub.urls, ev.Request.URL)
			stub.mu.Unlock()
			_, _ = chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
				RequestID: ev.RequestID, ResponseCode: 200,
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html; charset=utf-8"}},
				Body:            []byte(`<!doctype html><html lang="en"><head><title>Checkout</title></head><body><main><h1>Checkout stub</h1></main></body></html>`),
			})
		}
	}()
	return stub
}

// givingNoSideScroll fails when the page scrolls sideways.
func givingNoSideScroll(t *testing.T, ctx context.Context) {
	t.Helper()
	scroll := eval[[]int](t, ctx, "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
	if scroll[0] > scroll[1] {
		t.Errorf("page scrolls sideways: %d px of content in a %d px viewport", scroll[0], scroll[1])
	}
}

// givingDeliver posts a signed Stripe event to the node as Stripe's servers would.
func givingDeliver(t *testing.T, baseURL, id string, typ stripe.EventType, created time.Time, obj any) {
	t.Helper()
	payload, err := json.Marshal(map[string]any{"id": id, "object": "event", "type": string(typ), "created": created.Unix(),
		"api_version": stripe.APIVersion, "data": map[string]any{"object": obj}})
	if err != nil {
		t.Fatal(err)
	}
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: givingSecret, Timestamp: time.Now()})
	r := do(t, "POST", baseURL+giving.WebhookPath, map[string]string{"Stripe-Signature": sp.Header, "Content-Type": "application/json"},
		bytes.NewReader(sp.Payload))
	if r.Status != 200 {
		t.Fatalf("deliver %s: %d %s", typ, r.Status, r.Body)
	}
}

// givingLastCheckout is the id of the newest checkout.
func givingLastCheckout(t *testing.T, a *app.App) int64 {
	t.Helper()
	var id int64
	if err := a.DB.QueryRowContext(context.Background(), "SELECT MAX(id) FROM giving_checkouts").Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

var givingManageRe = regexp.MustCompile(regexp.QuoteMeta(giving.ManagePath) + `[A-Za-z0-9_-]{43}`)

// A donor gives from the page on a 360 px phone, in each language: the page passes axe
// (empty and with errors) and does not scroll sideways; then, with JavaScript off, the
// form reaches Stripe Checkout (which the page's form-action must allow, or Chrome stops
// the redirect); the thank-you page passes axe too.
func TestGivingDonationPageInTheBrowser(t *testing.T) {
	browser := testkit.Browser(t)
	givingNode(t, func(t *testing.T, baseURL string, a *app.App, tier people.Tier) {
		for _, lang := range langs {
			t.Run(lang, func(t *testing.T) {
				tr := a.Catalog.Localizer(lang)
				want := map[string]string{"es": "Fondo de fianzas", "en": "Bail fund"}[lang]
				page := baseURL + "/give/bail-fund?lang=" + lang

				// With scripts on, as axe needs them.
				ctx := testkit.BrowserSession(t, browser, testkit.SessionOptions{})
				testkit.Viewport(t, ctx, 360, 740, 1)
				open(t, ctx, page)
				if got := text(t, ctx, "h1"); got != want {
					t.Fatalf("heading %q, want %q", got, want)
				}
				if got := eval[string](t, ctx, "document.documentElement.lang"); got != lang {
					t.Errorf("<html lang=%q>", got)
				}
				testkit.Axe(t, ctx)
				givingNoSideScroll(t, ctx)
				// Another amount, too small: the form comes back with the error, still accessible.
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#amount-other"))); err != nil {
					t.Fatal(err)
				}
				typeInto(t, ctx, "#custom", "0.50")
				typeInto(t, ctx, "#given_name", "Vecina")
				typeInto(t, ctx, "#email", "vecina-"+lang+"@example.org")
				submit(t, ctx, `form.give-form`, 422)
				if got := text(t, ctx, "#custom-error"); got != tr.T("giving.amount.too_small") {
					t.Errorf("amount error %q", got)
				}
				testkit.Axe(t, ctx)
				givingNoSideScroll(t, ctx)
				// Checkout sends the donor back to the thank-you page.
				open(t, ctx, baseURL+giving.ThanksPath+"bail-fund")
				if got := text(t, ctx, "h1"); got != tr.T("give.thanks.title") {
					t.Errorf("thanks heading %q", got)
				}
				testkit.Axe(t, ctx)
				givingNoSideScroll(t, ctx)

				// With scripts off, the form still works and leads to Checkout.
				noJS := testkit.BrowserSession(t, browser, testkit.SessionOptions{NoJavaScript: true})
				testkit.Viewport(t, noJS, 360, 740, 1)
				stub := givingStubCheckout(t, noJS)
				open(t, noJS, page)
				if err := chromedp.Do(noJS, chromedp.Click(chromedp.CSS("#amount-2500"))); err != nil {
					t.Fatal(err)
				}
				if err := chromedp.Do(noJS, chromedp.Click(chromedp.CSS("#frequency-monthly"))); err != nil {
					t.Fatal(err)
				}
				typeInto(t, noJS, "#given_name", "Vecina")
				typeInto(t, noJS, "#email", "vecina-"+lang+"@example.org")
				submit(t, noJS, `form.give-form`, 200)
				loc, err := chromedp.Run(noJS, chromedp.Location())
				if err != nil {
					t.Fatal(err)
				}
				if seen := stub.seen(); !strings.HasPrefix(loc, "https://checkout.stripe.com/") || len(seen) == 0 || seen[0] != loc {
					t.Fatalf("after the form the browser is at %q (Checkout asked %v), want Stripe Checkout", loc, stub.seen())
				}
				var c struct {
					freq, email string
					amount      int64
				}
				if err := a.DB.QueryRowContext(context.Background(), "SELECT frequency, donor_email, amount_cents FROM giving_checkouts WHERE id = ?",
					givingLastCheckout(t, a)).Scan(&c.freq, &c.email, &c.amount); err != nil {
					t.Fatal(err)
				}
				if c.freq != "month" || c.amount != 2500 || c.email != "vecina-"+lang+"@example.org" {
					t.Errorf("checkout %+v", c)
				}
			})
		}
	})
}

// The dues page (from the Join thank-you page), the donor's manage page and its cancel
// question, and the staff pages of donation pages and recurring gifts pass axe in both
// languages and fit a 360 px phone.
func TestGivingOtherPagesAccessible(t *testing.T) {
	browser := testkit.Browser(t)
	givingNode(t, func(t *testing.T, baseURL string, a *app.App, tier people.Tier) {
		// A monthly gift whose renewal failed, so that its donor got a manage link.
		ctx := context.Background()
		if _, err := a.Giving.StartGift(ctx, giving.GiftRequest{Slug: "bail-fund", Amount: "2500", Frequency: giving.FrequencyMonthly,
			GivenName: "Rosa", Email: "rosa@example.org", Language: "es"}); err != nil {
			t.Fatal(err)
		}
		cid := givingLastCheckout(t, a)
		meta := map[string]string{"solidarity_checkout": fmt.Sprint(cid)}
		t0 := time.Now().Add(-time.Hour)
		givingDeliver(t, baseURL, "evt_b1", stripe.EventTypeCheckoutSessionCompleted, t0, map[string]any{"id": "cs_b", "object": "checkout.session",
			"mode": "subscription", "payment_status": "paid", "subscription": "sub_b", "customer": "cus_b", "metadata": meta})
		invoice := func(id string, amount int64, reason string) map[string]any {
			return map[string]any{"id": id, "object": "invoice", "amount_paid": amount, "currency": "usd", "billing_reason": reason,
				"attempt_count": 1, "parent": map[string]any{"subscription_details": map[string]any{"subscription": "sub_b", "metadata": meta}}}
		}
		givingDeliver(t, baseURL, "evt_b2", stripe.EventTypeInvoicePaid, t0, invoice("in_b1", 2500, "subscription_create"))
		givingDeliver(t, baseURL, "evt_b3", stripe.EventTypeInvoicePaymentFailed, t0.Add(time.Minute), invoice("in_b2", 0, "subscription_cycle"))
		list, err := a.Notify.Outbox(ctx, notify.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		manage := ""
		for _, d := range list.Deliveries {
			if d.Purpose == "giving.recurring_failed" {
				manage = givingManageRe.FindString(d.Text)
			}
		}
		if manage == "" {
			t.Fatal("no manage link in the failure mail")
		}
		token := adminBrowserToken(t, a)
		dues := giving.DuesPath + fmt.Sprint(tier.ID)
		for _, lang := range langs {
			t.Run(lang, func(t *testing.T) {
				tr := a.Catalog.Localizer(lang)
				ctx := testkit.BrowserSession(t, browser, testkit.SessionOptions{})
				testkit.Viewport(t, ctx, 360, 740, 1)
				check := func(path, heading string) {
					t.Helper()
					open(t, ctx, baseURL+path)
					if got := text(t, ctx, "h1"); got != tr.T(heading) {
						t.Errorf("%s: heading %q, want %q", path, got, tr.T(heading))
					}
					testkit.Axe(t, ctx)
					givingNoSideScroll(t, ctx)
				}
				open(t, ctx, baseURL+"/join/thanks?tier="+fmt.Sprint(tier.ID)+"&lang="+lang)
				if href := eval[string](t, ctx, `document.querySelector("main a.button").getAttribute("href")`); href != dues {
					t.Errorf("join thanks links to %q, want %q", href, dues)
				}
				check(dues, "give.dues.title")
				submit(t, ctx, "form.public-form", 422)
				testkit.Axe(t, ctx)
				check(dues+"/thanks", "give.dues.thanks_title")
				check(manage, "give.manage.title")
				check(manage+"/cancel", "give.manage.cancel_title")

				staff := adminBrowserSession(t, browser, baseURL, token, testkit.SessionOptions{})
				testkit.Viewport(t, staff, 360, 740, 1)
				for _, p := range []struct{ path, heading string }{
					{"/giving/pages?lang=" + lang, "giving.pages.title"},
					{"/giving/pages/new", "giving.pages.new_title"},
					{"/giving/recurring", "giving.recurring.title"},
				} {
					open(t, staff, baseURL+p.path)
					if got := text(t, staff, "h1"); got != tr.T(p.heading) {
						t.Errorf("%s: heading %q", p.path, got)
					}
					testkit.Axe(t, staff)
					givingNoSideScroll(t, staff)
				}
				// The page form with its errors.
				open(t, staff, baseURL+"/giving/pages/new")
				adminSubmit(t, staff, `main form.give-page-form button[type="submit"]`, 422)
				testkit.Axe(t, staff)
			})
		}
	})
}
