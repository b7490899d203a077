package giving

import (
	"context"
	"strings"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

func TestStartGiftOpensACheckoutSession(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newCard(t, d, true)
		e.page(t, "bail-fund")
		ctx := context.Background()
		start, err := e.s.StartGift(ctx, GiftRequest{Slug: "bail-fund", Amount: "other", Custom: "12,50", Frequency: FrequencyMonthly,
			GivenName: "María", FamilyName: "López", Email: "Maria@Example.org", Language: "es", EmailOptIn: true})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(start.URL, "https://") {
			t.Errorf("checkout URL %q", start.URL)
		}
		c, ok, err := loadCheckout(ctx, d, e.lastCheckout(t))
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		if c.AmountCents != 1250 || c.Frequency != "month" || c.Email != "maria@example.org" || c.GivenName != "María" ||
			c.FamilyName != "López" || c.Language != "es" || !c.EmailOptIn || c.Kind != "donation" {
			t.Errorf("checkout row %+v", c)
		}
		var session string
		if err := d.QueryRowContext(ctx, "SELECT stripe_session_id FROM giving_checkouts WHERE id = ?", c.ID).Scan(&session); err != nil || session == "" {
			t.Errorf("session id %q %v", session, err)
		}
		// Nothing about the donor exists yet: only the payment makes a person.
		if n := e.count(t, "SELECT COUNT(*) FROM people"); n != 0 {
			t.Errorf("%d people before the payment", n)
		}
	})
}

func TestStartGiftRefusesBadInputWithTranslatedErrors(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newCard(t, d, true)
		e.page(t, "once-only", func(p *Page) { p.Frequency = FrequencyOnce; p.AllowCustom = false })
		e.page(t, "open")
		ctx := context.Background()
		ok := GiftRequest{Slug: "open", Amount: "2500", Frequency: FrequencyOnce, GivenName: "Ana", Email: "ana@example.org", Language: "en"}
		for _, c := range []struct {
			tune       func(*GiftRequest)
			field, key string
		}{
			{func(r *GiftRequest) { r.Amount = "" }, "amount", "giving.amount.required"},
			{func(r *GiftRequest) { r.Amount = "777" }, "amount", "giving.amount.not_offered"},
			{func(r *GiftRequest) { r.Amount, r.Custom = "other", "0.50" }, "custom", "giving.amount.too_small"},
			{func(r *GiftRequest) { r.Amount, r.Custom = "other", "100000.01" }, "custom", "giving.amount.too_large"},
			{func(r *GiftRequest) { r.Amount, r.Custom = "other", "ten" }, "custom", "giving.amount.invalid"},
			{func(r *GiftRequest) { r.Amount, r.Custom = "other", "" }, "custom", "giving.amount.custom_required"},
			{func(r *GiftRequest) { r.Frequency = "weekly" }, "frequency", "giving.frequency.invalid"},
			{func(r *GiftRequest) { r.GivenName = "" }, "given_name", "giving.donor.name_required"},
			{func(r *GiftRequest) { r.Email = "not-an-address" }, "email", "giving.donor.email_invalid"},
			{func(r *GiftRequest) { r.Email = "" }, "email", "giving.donor.email_required"},
			{func(r *GiftRequest) { r.Language = "fr" }, "language", "giving.donor.language_invalid"},
			{func(r *GiftRequest) { r.Slug = "once-only"; r.Frequency = FrequencyMonthly }, "frequency", "giving.frequency.invalid"},
			{func(r *GiftRequest) { r.Slug = "once-only"; r.Amount, r.Custom = "other", "30" }, "amount", "giving.amount.not_offered"},
		} {
			req := ok
			c.tune(&req)
			_, err := e.s.StartGift(ctx, req)
			cardWantField(t, err, c.field, c.key)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM giving_checkouts"); n != 0 {
			t.Errorf("%d checkouts stored from bad forms", n)
		}
		if _, err := e.s.StartGift(ctx, GiftRequest{Slug: "nope", Amount: "2500"}); errs.CodeOf(err) != errs.CodeNotFound {
			t.Errorf("unknown page: %v", err)
		}
	})
}

func TestCardGivingOffSaysSo(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	e := newCard(t, d, false)
	e.page(t, "bail-fund")
	_, err := e.s.StartGift(context.Background(), GiftRequest{Slug: "bail-fund", Amount: "2500", GivenName: "Ana", Email: "ana@example.org"})
	if errs.CodeOf(err) != errs.CodeConflict || errs.As(err).Key != "giving.card.off" {
		t.Fatalf("gift without Stripe: %v", err)
	}
	if err := e.s.ReceiveStripeEvent(context.Background(), []byte("{}"), "t=1,v1=00"); errs.CodeOf(err) != errs.CodeConflict {
		t.Fatalf("webhook without a secret: %v", err)
	}
	if _, err := e.s.stripeClient(); errs.CodeOf(err) != errs.CodeConflict {
		t.Fatalf("stripe client without a key: %v", err)
	}
}
