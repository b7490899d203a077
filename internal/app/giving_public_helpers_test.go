package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"solidarity/internal/app"
	"solidarity/internal/config"
	"solidarity/internal/db"
	"solidarity/internal/giving"
	"solidarity/internal/notify"
	"solidarity/internal/testkit"
)

// The helpers of the giving module's public pages carry the "givp" prefix.

// givpSecret signs the tests' Stripe events.
const givpSecret = "whsec_app_tests"

// givpMeta is the metadata key the giving service puts on Stripe objects (its checkout id).
const givpMeta = "solidarity_checkout"

// givpEachApp runs fn on a fresh node of every dialect with card giving on, against
// stripe-mock.
func givpEachApp(t *testing.T, fn func(t *testing.T, a *app.App)) {
	stripeURL := testkit.StripeMock(t)
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			cfg := config.Default()
			cfg.DataDir = t.TempDir()
			cfg.StripeSecretKey, cfg.StripeAPIBase, cfg.StripeWebhookSecret = testkit.StripeKey, stripeURL, givpSecret
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

// givpPage creates a published donation page through the service.
func givpPage(t *testing.T, a *app.App, slug string, tune ...func(*giving.Page)) giving.Page {
	t.Helper()
	p := giving.Page{Slug: slug, TitleEn: "Bail fund", TitleEs: "Fondo de fianzas", StoryEn: "Families need help.\n\nGive today.",
		StoryEs: "Las familias necesitan ayuda.\n\nDone hoy.", ThanksEn: "Thank you, neighbour!", ThanksEs: "¡Gracias, vecina!",
		Amounts: []int64{1000, 2500, 5000}, AllowCustom: true, Currency: "usd", Frequency: giving.FrequencyBoth,
		GoalCents: 100000, Published: true}
	for _, f := range tune {
		f(&p)
	}
	saved, err := a.Giving.SavePage(context.Background(), pubStaff, 0, p)
	if err != nil {
		t.Fatalf("save page: %v", err)
	}
	return saved
}

// givpGiftForm is a filled-in donation form.
func givpGiftForm(email string, change url.Values) url.Values {
	f := url.Values{"amount": {"2500"}, "frequency": {"once"}, "given_name": {"María"}, "family_name": {"López"},
		"email": {email}, "language": {"es"}}
	for k, v := range change {
		f[k] = v
	}
	return f
}

// givpCheckout is the id of the newest checkout row: the one a form just opened.
func givpCheckout(t *testing.T, a *app.App) int64 {
	t.Helper()
	var id int64
	if err := a.DB.QueryRowContext(context.Background(), "SELECT MAX(id) FROM giving_checkouts").Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// givpCount runs a COUNT query.
func givpCount(t *testing.T, a *app.App, q string, args ...any) int {
	t.Helper()
	var n int
	if err := a.DB.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// givpEvent is a Stripe event around obj, as Stripe sends it.
func givpEvent(t *testing.T, id string, typ stripe.EventType, created time.Time, obj any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"id": id, "object": "event", "type": string(typ), "created": created.Unix(),
		"api_version": stripe.APIVersion, "data": map[string]any{"object": obj}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// givpWebhook posts an event to /webhooks/stripe as Stripe's servers do (no browser
// headers), signed with secret, and returns the answer.
func givpWebhook(t *testing.T, a *app.App, payload []byte, secret string) answer {
	t.Helper()
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now()})
	req := httptest.NewRequest(http.MethodPost, giving.WebhookPath, bytes.NewReader(sp.Payload))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Stripe-Signature", sp.Header)
	req.Header.Set("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
	req.RemoteAddr = "203.0.113.9:443"
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, req)
	return answer{Status: rec.Code, Header: rec.Header(), Body: rec.Body.String()}
}

// givpDeliver posts a correctly signed event and fails unless it is taken (200).
func givpDeliver(t *testing.T, a *app.App, id string, typ stripe.EventType, created time.Time, obj any) {
	t.Helper()
	if r := givpWebhook(t, a, givpEvent(t, id, typ, created, obj), givpSecret); r.Status != http.StatusOK {
		t.Fatalf("deliver %s %s: %d %s", typ, id, r.Status, r.Body)
	}
}

// givpSession is a completed Checkout session of our checkout.
func givpSession(checkout int64, mode, paymentIntent, sub string, amount int64) map[string]any {
	s := map[string]any{"id": fmt.Sprintf("cs_test_%d", checkout), "object": "checkout.session", "mode": mode,
		"status": "complete", "payment_status": "paid", "amount_total": amount, "currency": "usd",
		"client_reference_id": fmt.Sprint(checkout), "metadata": map[string]string{givpMeta: fmt.Sprint(checkout)},
		"customer": fmt.Sprintf("cus_%d", checkout)}
	if paymentIntent != "" {
		s["payment_intent"] = paymentIntent
	}
	if sub != "" {
		s["subscription"] = sub
	}
	return s
}

// givpInvoice is an invoice of a subscription of our checkout.
func givpInvoice(id, sub string, checkout, amount int64, reason string, attempt int) map[string]any {
	return map[string]any{"id": id, "object": "invoice", "amount_paid": amount, "currency": "usd", "customer": "cus_x",
		"billing_reason": reason, "attempt_count": attempt,
		"parent": map[string]any{"type": "subscription_details", "subscription_details": map[string]any{
			"subscription": sub, "metadata": map[string]string{givpMeta: fmt.Sprint(checkout)}}}}
}

var givpManageRe = regexp.MustCompile(regexp.QuoteMeta(giving.ManagePath) + `[A-Za-z0-9_-]{43}`)

// givpMailedManagePath is the manage path in the newest mail of purpose to address.
func givpMailedManagePath(t *testing.T, a *app.App, to, purpose string) string {
	t.Helper()
	list, err := a.Notify.Outbox(context.Background(), notify.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range list.Deliveries {
		if d.To != to || d.Purpose != purpose {
			continue
		}
		if p := givpManageRe.FindString(d.Text); p != "" {
			return p
		}
	}
	t.Fatalf("no %s mail to %s with a manage link", purpose, to)
	return ""
}

// givpCSPFormAction is the form-action directive of a response's policy.
func givpCSPFormAction(r answer) string {
	for _, d := range strings.Split(r.Header.Get("Content-Security-Policy"), ";") {
		if d = strings.TrimSpace(d); strings.HasPrefix(d, "form-action") {
			return d
		}
	}
	return ""
}
