package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/config"
	"solidarity/internal/giving"
	"solidarity/internal/testkit"
)

// A donor gives once from a page, in Spanish: the page, Stripe Checkout (stripe-mock), the
// webhook, the gift on a new person's timeline, the receipt mail and the thank-you page.
func TestGiveOneTimeGiftFromPageToReceipt(t *testing.T) {
	givpEachApp(t, func(t *testing.T, a *app.App) {
		givpPage(t, a, "bail-fund")
		v := newVisitor(t, a, "198.51.100.60")
		page := v.get("/give/bail-fund?lang=es")
		must(t, "donation page", page, http.StatusOK, "Fondo de fianzas", "Las familias necesitan ayuda.", "<progress",
			es(a, "give.page.progress", map[string]any{"Raised": "$0", "Goal": "$1,000"}), `name="website"`)
		if fa := givpCSPFormAction(page); fa != "form-action 'self' https://checkout.stripe.com" {
			t.Errorf("donation page form-action %q", fa)
		}
		if fa := givpCSPFormAction(v.get("/join")); fa != "form-action 'self'" {
			t.Errorf("other pages keep form-action 'self': %q", fa)
		}
		r := v.post("/give/bail-fund", givpGiftForm("maria@example.org", nil))
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "https://checkout.stripe.com/") {
			t.Fatalf("form: %d to %q, want 303 to Stripe Checkout\n%s", r.Status, r.Location, r.Body)
		}
		cid := givpCheckout(t, a)
		givpDeliver(t, a, "evt_app_once", stripe.EventTypeCheckoutSessionCompleted, time.Now(), givpSession(cid, "payment", "pi_app_once", "", 2500))

		p := pubMust(t, a, "maria@example.org")
		if p.GivenName != "María" || p.Language != "es" || p.CreatedVia != "giving" {
			t.Errorf("donor %+v", p)
		}
		tl, err := a.People.Timeline(context.Background(), pubStaff, p.ID, "", 20)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range tl.Events {
			found = found || e.Kind == "giving.gift"
		}
		if !found {
			t.Error("the gift is not on the donor's timeline")
		}
		if n := pubMails(t, a, "maria@example.org", "giving.receipt"); n != 1 {
			t.Errorf("%d receipt mails, want 1", n)
		}
		if n := givpCount(t, a, "SELECT COUNT(*) FROM giving_gifts WHERE amount_cents = 2500 AND page_id IS NOT NULL"); n != 1 {
			t.Errorf("%d gifts", n)
		}
		thanks := v.get("/give/thanks/bail-fund")
		must(t, "thank-you page", thanks, http.StatusOK, "¡Gracias, vecina!")
		// The bar moved.
		must(t, "page after the gift", v.get("/give/bail-fund?lang=en"), http.StatusOK,
			en(a, "give.page.progress", map[string]any{"Raised": "$25", "Goal": "$1,000"}))
	})
}

// Stripe's servers post without Origin or Sec-Fetch-Site headers: cross-origin protection
// lets them through, the signature decides, and a repeat delivery changes nothing.
func TestGiveWebhookSignatureAndRepeats(t *testing.T) {
	givpEachApp(t, func(t *testing.T, a *app.App) {
		givpPage(t, a, "bail-fund")
		v := newVisitor(t, a, "198.51.100.61")
		if r := v.post("/give/bail-fund", givpGiftForm("ana@example.org", nil)); r.Status != http.StatusSeeOther {
			t.Fatalf("form %d", r.Status)
		}
		cid := givpCheckout(t, a)
		payload := givpEvent(t, "evt_sig", stripe.EventTypeCheckoutSessionCompleted, time.Now(), givpSession(cid, "payment", "pi_sig", "", 2500))
		if r := givpWebhook(t, a, payload, "whsec_forged"); r.Status != http.StatusBadRequest {
			t.Errorf("forged signature: %d, want 400", r.Status)
		}
		if n := givpCount(t, a, "SELECT COUNT(*) FROM giving_events") + givpCount(t, a, "SELECT COUNT(*) FROM giving_gifts"); n != 0 {
			t.Fatalf("a forged event left %d rows", n)
		}
		for i := range 2 {
			if r := givpWebhook(t, a, payload, givpSecret); r.Status != http.StatusOK {
				t.Fatalf("delivery %d: %d %s", i+1, r.Status, r.Body)
			}
		}
		if n := givpCount(t, a, "SELECT COUNT(*) FROM giving_gifts"); n != 1 {
			t.Errorf("%d gifts after two deliveries, want 1", n)
		}
		// A browser on another site cannot post to it: cross-origin protection still holds
		// for requests that say where they come from.
		req := httptest.NewRequest(http.MethodPost, giving.WebhookPath, strings.NewReader("{}"))
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		rec := httptest.NewRecorder()
		a.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("cross-site browser post: %d, want 403", rec.Code)
		}
	})
}

func TestGiveFormErrorsAreTranslated(t *testing.T) {
	givpEachApp(t, func(t *testing.T, a *app.App) {
		givpPage(t, a, "bail-fund")
		v := newVisitor(t, a, "198.51.100.62")
		v.get("/give/bail-fund?lang=es")
		r := v.post("/give/bail-fund", givpGiftForm("not-an-address", url.Values{"amount": {"other"}, "custom": {"0.25"}}))
		must(t, "bad form", r, http.StatusUnprocessableEntity, `role="alert"`, es(a, "giving.amount.too_small"),
			es(a, "giving.donor.email_invalid"), `aria-invalid="true"`, `value="0.25"`)
		if fa := givpCSPFormAction(r); !strings.Contains(fa, "https://checkout.stripe.com") {
			t.Errorf("the form shown again must still reach Checkout: %q", fa)
		}
		// An empty form is bad input, never a server error.
		must(t, "empty form", v.post("/give/bail-fund", url.Values{}), http.StatusUnprocessableEntity, es(a, "giving.amount.required"))
		must(t, "unknown page", v.post("/give/no-such-page", givpGiftForm("ana@example.org", nil)), http.StatusNotFound)
		if n := givpCount(t, a, "SELECT COUNT(*) FROM giving_checkouts"); n != 0 {
			t.Errorf("%d checkouts from bad forms", n)
		}
		// The honeypot: the answer of a success, nothing stored.
		r = v.post("/give/bail-fund", givpGiftForm("bot@example.org", url.Values{"website": {"http://spam.example"}}))
		if r.Status != http.StatusSeeOther || givpCount(t, a, "SELECT COUNT(*) FROM giving_checkouts") != 0 {
			t.Errorf("honeypot: %d, checkouts %d", r.Status, givpCount(t, a, "SELECT COUNT(*) FROM giving_checkouts"))
		}
	})
}

func TestGiveFormRateLimits(t *testing.T) {
	givpEachApp(t, func(t *testing.T, a *app.App) {
		givpPage(t, a, "bail-fund")
		pubAwayFromEdge(giving.GiveClientWindow)
		v := newVisitor(t, a, "198.51.100.63")
		for i := range giving.GiveClientLimit {
			if r := v.post("/give/bail-fund", givpGiftForm("try"+strconv.Itoa(i)+"@example.org", nil)); r.Status != http.StatusSeeOther {
				t.Fatalf("gift %d: %d", i+1, r.Status)
			}
		}
		over := v.post("/give/bail-fund", givpGiftForm("one-more@example.org", nil))
		must(t, "over the client limit", over, http.StatusTooManyRequests, `role="alert"`, `value="one-more@example.org"`)
		if over.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		if n := givpCount(t, a, "SELECT COUNT(*) FROM giving_checkouts"); n != giving.GiveClientLimit {
			t.Errorf("%d checkouts, want %d", n, giving.GiveClientLimit)
		}
		if r := newVisitor(t, a, "198.51.100.64").post("/give/bail-fund", givpGiftForm("neighbour@example.org", nil)); r.Status != http.StatusSeeOther {
			t.Errorf("another client: %d", r.Status)
		}
		pubAwayFromEdge(giving.GiveGlobalWindow)
		for range giving.GiveGlobalLimit {
			if _, _, err := a.Limiter.Allow(t.Context(), "give.global", "everyone", giving.GiveGlobalLimit, giving.GiveGlobalWindow); err != nil {
				t.Fatal(err)
			}
		}
		r := newVisitor(t, a, "198.51.100.65").post("/give/bail-fund", givpGiftForm("late@example.org", nil))
		must(t, "over the global limit", r, http.StatusTooManyRequests)
	})
}

// Without a Stripe key the page says card gifts are off, and nothing answers 500.
func TestGiveWithoutCardGiving(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	a, err := app.Open(context.Background(), cfg, testkit.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	givpPage(t, a, "bail-fund")
	v := newVisitor(t, a, "198.51.100.66")
	page := v.get("/give/bail-fund?lang=es")
	must(t, "page", page, http.StatusOK, es(a, "give.page.card_off"))
	mustNot(t, "page", page, `action="/give/bail-fund"`)
	must(t, "form anyway", v.post("/give/bail-fund", givpGiftForm("ana@example.org", nil)), http.StatusConflict, es(a, "give.page.card_off"))
	if r := givpWebhook(t, a, []byte(`{}`), givpSecret); r.Status != http.StatusBadRequest {
		t.Errorf("webhook without a secret: %d", r.Status)
	}
}

// A monthly gift: its charge fails (past due, mail in the donor's language with the manage
// link), the donor opens the link, changes the amount, then stops the gift; staff see the
// failure while it lasts.
func TestGiveMonthlyGiftFailureAndManagePage(t *testing.T) {
	givpEachApp(t, func(t *testing.T, a *app.App) {
		givpPage(t, a, "monthly")
		v := newVisitor(t, a, "198.51.100.67")
		r := v.post("/give/monthly", givpGiftForm("rosa@example.org", url.Values{"frequency": {"monthly"}}))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("form %d %s", r.Status, r.Body)
		}
		cid := givpCheckout(t, a)
		t0 := time.Now().Add(-time.Hour)
		givpDeliver(t, a, "evt_mm1", stripe.EventTypeCheckoutSessionCompleted, t0, givpSession(cid, "subscription", "", "sub_app", 2500))
		givpDeliver(t, a, "evt_mm2", stripe.EventTypeInvoicePaid, t0, givpInvoice("in_app1", "sub_app", cid, 2500, "subscription_create", 1))
		givpDeliver(t, a, "evt_mm3", stripe.EventTypeInvoicePaymentFailed, t0.Add(time.Minute), givpInvoice("in_app2", "sub_app", cid, 0, "subscription_cycle", 1))

		staff := adminAs(t, a, auth.RoleOrganizer)
		staff.get("/giving/recurring").expect(t, "failing gifts", http.StatusOK, "María López", staff.tr("give.manage.status.past_due"))

		path := givpMailedManagePath(t, a, "rosa@example.org", "giving.recurring_failed")
		page := v.get(path + "?lang=es")
		must(t, "manage page", page, http.StatusOK, es(a, "give.manage.past_due"), "$25", es(a, "give.manage.card_submit"))
		if fa := givpCSPFormAction(page); !strings.Contains(fa, "https://billing.stripe.com") {
			t.Errorf("manage page form-action %q", fa)
		}
		card := v.post(path+"/card", url.Values{})
		if card.Status != http.StatusSeeOther || !strings.HasPrefix(card.Location, "https://") {
			t.Errorf("update card: %d %q", card.Status, card.Location)
		}
		bad := v.post(path+"/amount", url.Values{"amount": {"abc"}})
		must(t, "bad amount", bad, http.StatusUnprocessableEntity, es(a, "giving.amount.invalid"))
		done := v.follow(v.post(path+"/amount", url.Values{"amount": {"40"}}))
		must(t, "amount changed", done, http.StatusOK, es(a, "give.manage.flash.amount"), "$40")
		must(t, "cancel question", v.get(path+"/cancel"), http.StatusOK, es(a, "give.manage.cancel_question", map[string]any{"Amount": "$40"}))
		stopped := v.follow(v.post(path+"/cancel", url.Values{}))
		must(t, "cancelled", stopped, http.StatusOK, es(a, "give.manage.flash.cancelled"), es(a, "give.manage.stopped"))
		if n := pubMails(t, a, "rosa@example.org", "giving.recurring_cancelled"); n != 1 {
			t.Errorf("%d cancel confirmations", n)
		}
		must(t, "dead link", v.get(giving.ManagePath+strings.Repeat("x", 43)), http.StatusNotFound, es(a, "giving.manage.invalid"))
	})
}

// Staff make and publish a page through the forms, with translated errors.
func TestGiveStaffPages(t *testing.T) {
	givpEachApp(t, func(t *testing.T, a *app.App) {
		staff := adminAs(t, a, auth.RoleOrganizer)
		staff.get("/giving/pages/new").expect(t, "new page form", http.StatusOK, staff.tr("giving.pages.new_title"))
		form := url.Values{"slug": {"Bad Slug"}, "title_en": {"Legal defence"}, "title_es": {""}, "amounts": {"10, 2x"},
			"currency": {"usd"}, "frequency": {"both"}, "allow_custom": {"yes"}}
		staff.post("/giving/pages", form).expect(t, "bad page", http.StatusUnprocessableEntity, staff.tr("giving.page.amounts_format"))
		form.Set("amounts", "10, 25, 50")
		staff.post("/giving/pages", form).expect(t, "bad page", http.StatusUnprocessableEntity,
			staff.tr("giving.page.slug_invalid"), staff.tr("giving.page.required"))
		form.Set("slug", "legal-defence")
		form.Set("title_es", "Defensa legal")
		form.Set("goal", "5000")
		staff.postDone("/giving/pages", form, "/giving/pages").expect(t, "list", http.StatusOK, staff.tr("giving.pages.flash.saved"), "Legal defence")
		// Not published yet: the public gets a 404, staff a preview.
		if r := newVisitor(t, a, "198.51.100.68").get("/give/legal-defence"); r.Status != http.StatusNotFound {
			t.Errorf("unpublished page for the public: %d", r.Status)
		}
		staff.get("/give/legal-defence").expect(t, "preview", http.StatusOK, staff.tr("give.page.preview"))
		pages, err := a.Giving.Pages(context.Background(), pubStaff)
		if err != nil || len(pages) != 1 {
			t.Fatal(pages, err)
		}
		id := strconv.FormatInt(pages[0].ID, 10)
		staff.get("/giving/pages/"+id).expect(t, "edit", http.StatusOK, `value="legal-defence"`, "10, 25, 50", `value="5000"`)
		form.Set("published", "yes")
		staff.postDone("/giving/pages/"+id, form, "/giving/pages")
		must(t, "published page", newVisitor(t, a, "198.51.100.69").get("/give/legal-defence"), http.StatusOK, "Legal defence")
		// Roles without giving.read see none of it.
		caseworker := adminAs(t, a, auth.RoleCaseworker)
		caseworker.get("/giving/pages").expect(t, "caseworker", http.StatusForbidden)
		caseworker.get("/giving/recurring").expect(t, "caseworker", http.StatusForbidden)
	})
}
