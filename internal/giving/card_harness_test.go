package giving

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/i18n"
	"solidarity/internal/jobs"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/testkit"
)

// The helpers of the card-giving tests (pages, Checkout, webhooks, recurring gifts, dues,
// the manage page) carry the "card" prefix, apart from the books' tests' own helpers.

// cardWebhookSecret signs the test events.
const cardWebhookSecret = "whsec_solidarity_test"

// cardMailbox is the fake mail edge: it keeps the mails of committed transactions.
type cardMailbox struct {
	mu   sync.Mutex
	mail []notify.Email
}

func (m *cardMailbox) Email(_ context.Context, tx *db.Tx, e notify.Email) (int64, error) {
	if err := e.Validate(); err != nil {
		return 0, err
	}
	tx.AfterCommit(func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.mail = append(m.mail, e)
	})
	return 1, nil
}

// sent returns the committed mails of purpose ("" for all).
func (m *cardMailbox) sent(purpose string) []notify.Email {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []notify.Email
	for _, e := range m.mail {
		if purpose == "" || e.Purpose == purpose {
			out = append(out, e)
		}
	}
	return out
}

// cardEnv is the giving service on a real database, talking to stripe-mock.
type cardEnv struct {
	d      *db.DB
	s      *Service
	people *people.Service
	mail   *cardMailbox
}

var (
	cardOrganizer  = auth.Actor{Kind: auth.KindAccount, ID: 7, Name: "Olga Organizer", Role: auth.RoleOrganizer}
	cardCaseworker = auth.Actor{Kind: auth.KindAccount, ID: 9, Name: "Carla Caseworker", Role: auth.RoleCaseworker}
)

// newCard builds the services on d with card giving on, against stripe-mock (skipped when
// stripe-mock is missing and not required). stripe == false leaves card giving off.
func newCard(t testing.TB, d *db.DB, stripeOn bool) *cardEnv {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	q := jobs.New(d, testkit.Logger())
	mb := &cardMailbox{}
	ppl, err := people.New(people.Config{BaseURL: "https://network.example.org"}, people.Deps{DB: d, Jobs: q, Mail: mb, Catalog: cat, Log: testkit.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{BaseURL: "https://network.example.org"}
	if stripeOn {
		cfg.StripeSecretKey, cfg.StripeAPIBase, cfg.StripeWebhookSecret = testkit.StripeKey, testkit.StripeMock(t), cardWebhookSecret
	}
	s, err := New(cfg, Deps{DB: d, Jobs: q, Mail: mb, Catalog: cat, People: ppl, Log: testkit.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Build(); err != nil {
		t.Fatal(err)
	}
	return &cardEnv{d: d, s: s, people: ppl, mail: mb}
}

// page saves a published page taking both frequencies, with the changes made by tune.
func (e *cardEnv) page(t testing.TB, slug string, tune ...func(*Page)) Page {
	t.Helper()
	p := Page{Slug: slug, TitleEn: "Bail fund", TitleEs: "Fondo de fianzas", StoryEn: "Families need help.",
		StoryEs: "Las familias necesitan ayuda.", ThanksEn: "Thank you!", ThanksEs: "¡Gracias!",
		Amounts: []int64{1000, 2500, 5000}, AllowCustom: true, Currency: "usd", Frequency: FrequencyBoth, Published: true}
	for _, f := range tune {
		f(&p)
	}
	saved, err := e.s.SavePage(context.Background(), cardOrganizer, 0, p)
	if err != nil {
		t.Fatalf("save page: %v", err)
	}
	return saved
}

// give opens a Checkout for a gift on page slug and returns our checkout id.
func (e *cardEnv) give(t testing.TB, req GiftRequest) int64 {
	t.Helper()
	if _, err := e.s.StartGift(context.Background(), req); err != nil {
		t.Fatalf("start gift: %v", err)
	}
	return e.lastCheckout(t)
}

// lastCheckout is the id of the newest checkout row.
func (e *cardEnv) lastCheckout(t testing.TB) int64 {
	t.Helper()
	var id int64
	if err := e.d.QueryRowContext(context.Background(), "SELECT MAX(id) FROM giving_checkouts").Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// cardEventPayload is a Stripe event as Stripe sends it, around obj.
func cardEventPayload(t testing.TB, id string, typ stripe.EventType, created time.Time, obj any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"id": id, "object": "event", "type": string(typ), "created": created.Unix(), "api_version": stripe.APIVersion,
		"livemode": false, "pending_webhooks": 1, "data": map[string]any{"object": obj},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// cardSign signs a payload as Stripe would, with secret.
func cardSign(payload []byte, secret string) (body []byte, header string) {
	return cardSignAt(payload, secret, time.Now())
}

// cardSignAt signs a payload as Stripe would have at a given time.
func cardSignAt(payload []byte, secret string, at time.Time) (body []byte, header string) {
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at})
	return sp.Payload, sp.Header
}

// deliver sends one signed event to the service, as the webhook handler would.
func (e *cardEnv) deliver(t testing.TB, id string, typ stripe.EventType, created time.Time, obj any) {
	t.Helper()
	body, header := cardSign(cardEventPayload(t, id, typ, created, obj), cardWebhookSecret)
	if err := e.s.ReceiveStripeEvent(context.Background(), body, header); err != nil {
		t.Fatalf("deliver %s %s: %v", typ, id, err)
	}
}

// count runs a COUNT query.
func (e *cardEnv) count(t testing.TB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// recurring reads the recurring gift of a subscription.
func (e *cardEnv) recurring(t testing.TB, sub string) Recurring {
	t.Helper()
	r, ok, err := loadRecurring(context.Background(), e.d, "stripe_subscription_id", sub)
	if err != nil || !ok {
		t.Fatalf("recurring %s: ok=%v err=%v", sub, ok, err)
	}
	return r
}

// The Stripe objects of the tests, as the JSON Stripe puts in events.

func cardSession(checkout int64, mode, payment, sub string, amount int64) map[string]any {
	s := map[string]any{
		"id": "cs_test_" + fmt.Sprint(checkout), "object": "checkout.session", "mode": mode, "status": "complete",
		"payment_status": "paid", "amount_total": amount, "currency": "usd", "client_reference_id": fmt.Sprint(checkout),
		"metadata": map[string]string{metaCheckout: fmt.Sprint(checkout)}, "customer": "cus_" + fmt.Sprint(checkout),
		"customer_details": map[string]any{"email": "stripe-typed@example.org", "name": "Typed At Stripe"},
	}
	if payment != "" {
		s["payment_intent"] = payment
	}
	if sub != "" {
		s["subscription"] = sub
	}
	return s
}

func cardInvoice(id, sub string, checkout int64, amount int64, reason string, attempt int) map[string]any {
	return map[string]any{
		"id": id, "object": "invoice", "amount_paid": amount, "amount_due": amount, "currency": "usd",
		"customer": "cus_x", "customer_email": "stripe-typed@example.org", "billing_reason": reason, "attempt_count": attempt,
		"parent": map[string]any{"type": "subscription_details", "subscription_details": map[string]any{
			"subscription": sub, "metadata": map[string]string{metaCheckout: fmt.Sprint(checkout)}}},
	}
}

func cardSubscription(id string, checkout int64, status string, amount int64, reason string) map[string]any {
	s := map[string]any{
		"id": id, "object": "subscription", "status": status, "customer": "cus_x",
		"metadata": map[string]string{metaCheckout: fmt.Sprint(checkout)},
		"items": map[string]any{"object": "list", "data": []any{map[string]any{
			"id": "si_1", "object": "subscription_item", "quantity": 1,
			"price": map[string]any{"id": "price_1", "object": "price", "unit_amount": amount, "currency": "usd",
				"recurring": map[string]any{"interval": "month"}},
		}}},
	}
	if reason != "" {
		s["cancellation_details"] = map[string]any{"reason": reason}
	}
	return s
}

func cardCharge(id, paymentIntent string, amount, refunded int64) map[string]any {
	return map[string]any{"id": id, "object": "charge", "amount": amount, "amount_refunded": refunded, "currency": "usd",
		"payment_intent": paymentIntent, "refunded": refunded >= amount}
}

// cardWantField fails unless err holds a field error on field with key.
func cardWantField(t testing.TB, err error, field, key string) {
	t.Helper()
	if err == nil || !strings.Contains(fmt.Sprintf("%+v", errFields(err)), field+"="+key) {
		t.Fatalf("error = %v (%v), want %s on %s", err, errFields(err), key, field)
	}
}

// errFields lists err's field errors as "field=key".
func errFields(err error) []string {
	var out []string
	for _, f := range errs.Fields(err) {
		out = append(out, f.Field+"="+f.Key)
	}
	return out
}
