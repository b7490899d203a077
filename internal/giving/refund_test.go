package giving

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v82"

	"solidarity/internal/audit"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

// booksRefunded reads a gift's refunded amount and status.
func booksRefunded(t *testing.T, d *db.DB, id int64) (int64, string) {
	t.Helper()
	var cents int64
	var status string
	if err := d.QueryRowContext(context.Background(), "SELECT refunded_cents, status FROM giving_gifts WHERE id = ?", id).Scan(&cents, &status); err != nil {
		t.Fatal(err)
	}
	return cents, status
}

// An offline gift is refunded in part, then in full; nothing more can be refunded, and
// each step is audited and on the donor's timeline.
func TestRefundOfflineGift(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		ana := e.person(t, "Ana", "ana@example.org", "en")
		id := e.gift(t, OfflineGift{PersonID: ana.ID, AmountCents: 10000, Method: MethodCheck})

		if err := e.s.Refund(ctx, booksOrganizer, RefundRequest{GiftID: id, AmountCents: 10001}); err == nil {
			t.Fatal("a refund over the gift was accepted")
		} else {
			booksWantField(t, err, "amount", "giving.refund.amount_too_large")
		}
		if err := e.s.Refund(ctx, booksOrganizer, RefundRequest{GiftID: id, AmountCents: 2500, Reason: "Returned at the donor's request"}); err != nil {
			t.Fatal(err)
		}
		if c, st := booksRefunded(t, d, id); c != 2500 || st != string(GiftPartiallyRefunded) {
			t.Errorf("after a partial refund: %d %s", c, st)
		}
		if err := e.s.Refund(ctx, booksOrganizer, RefundRequest{GiftID: id, AmountCents: 7501}); err == nil {
			t.Error("a refund over what is left was accepted")
		}
		if err := e.s.Refund(ctx, booksOrganizer, RefundRequest{GiftID: id}); err != nil { // the rest
			t.Fatal(err)
		}
		if c, st := booksRefunded(t, d, id); c != 10000 || st != string(GiftRefunded) {
			t.Errorf("after the full refund: %d %s", c, st)
		}
		err := e.s.Refund(ctx, booksOrganizer, RefundRequest{GiftID: id, AmountCents: 1})
		booksWantField(t, err, "amount", "giving.refund.already_refunded")
		if err := e.s.Refund(ctx, booksDispatcher, RefundRequest{GiftID: id, AmountCents: 1}); errs.CodeOf(err) != errs.CodeForbidden {
			t.Errorf("a dispatcher refunds: %v", err)
		}
		if err := e.s.Refund(ctx, booksOrganizer, RefundRequest{GiftID: 999999, AmountCents: 1}); errs.CodeOf(err) != errs.CodeNotFound {
			t.Errorf("refund of no gift: %v", err)
		}
		refunds, err := e.s.Refunds(ctx, booksOrganizer, id)
		if err != nil || len(refunds) != 2 || refunds[0].AmountCents != 2500 || refunds[1].AmountCents != 7500 || refunds[0].Reason == "" {
			t.Errorf("refunds %+v %v", refunds, err)
		}
		entries, err := audit.List(ctx, d, audit.Filter{Action: "giving.refund"})
		if err != nil || len(entries) != 2 {
			t.Errorf("%d audit entries for refunds (%v), want 2", len(entries), err)
		}
		tl, err := e.people.Timeline(ctx, booksSystem, ana.ID, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		var refundEvents int
		for _, ev := range tl.Events {
			if ev.Kind == "giving.refund" {
				refundEvents++
			}
		}
		if refundEvents != 2 {
			t.Errorf("%d refunds on the timeline, want 2", refundEvents)
		}
	})
}

// booksChargeRefunded runs the webhook's handling of a charge.refunded event that says
// Stripe has refunded total of the charge.
func booksChargeRefunded(t *testing.T, e *booksEnv, charge, intent string, total int64) {
	t.Helper()
	ctx := context.Background()
	err := e.d.InTx(ctx, func(tx *db.Tx) error {
		return e.s.onChargeRefunded(ctx, tx, &stripe.Charge{ID: charge, PaymentIntent: &stripe.PaymentIntent{ID: intent}, AmountRefunded: total})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A card gift is refunded through Stripe (stripe-mock), in part and then the rest. The
// webhook's charge.refunded for the same refunds changes nothing; a refund made in
// Stripe's dashboard is counted once, and a staff refund after it adds only itself.
func TestRefundCardGiftThroughStripe(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{StripeSecretKey: testkit.StripeKey, StripeAPIBase: testkit.StripeMock(t)})
		id := e.rawGift(t, Gift{AmountCents: 5000, StripePaymentIntent: "pi_books_1", StripeCharge: "ch_books_1", ReceivedAt: d.Now(),
			DonorEmail: "card@example.org"})
		if err := e.s.Refund(ctx, booksOrganizer, RefundRequest{GiftID: id, AmountCents: 2000}); err != nil {
			t.Fatal(err)
		}
		if c, st := booksRefunded(t, d, id); c != 2000 || st != string(GiftPartiallyRefunded) {
			t.Fatalf("after a partial card refund: %d %s", c, st)
		}
		refunds, err := e.s.Refunds(ctx, booksOrganizer, id)
		if err != nil || len(refunds) != 1 || !strings.HasPrefix(refunds[0].StripeRefundID, "re_") || refunds[0].Status != "succeeded" {
			t.Fatalf("refunds %+v %v", refunds, err)
		}
		// The webhook reports the staff refund, twice: already counted.
		booksChargeRefunded(t, e, "ch_books_1", "pi_books_1", 2000)
		booksChargeRefunded(t, e, "ch_books_1", "pi_books_1", 2000)
		if c, _ := booksRefunded(t, d, id); c != 2000 {
			t.Errorf("refunded %d after the webhook, want 2000", c)
		}
		// A refund of $10 made in Stripe's dashboard: the charge's total is now $30.
		booksChargeRefunded(t, e, "ch_books_1", "pi_books_1", 3000)
		if c, _ := booksRefunded(t, d, id); c != 3000 {
			t.Errorf("refunded %d after a dashboard refund, want 3000", c)
		}
		// The rest, through Stripe: $20.
		if err := e.s.Refund(ctx, booksOrganizer, RefundRequest{GiftID: id}); err != nil {
			t.Fatal(err)
		}
		if c, st := booksRefunded(t, d, id); c != 5000 || st != string(GiftRefunded) {
			t.Errorf("after the full card refund: %d %s", c, st)
		}
		booksChargeRefunded(t, e, "ch_books_1", "pi_books_1", 5000)
		if c, _ := booksRefunded(t, d, id); c != 5000 {
			t.Errorf("refunded %d after the last webhook, want 5000", c)
		}
		if n := len(booksAudit(t, d, "giving.refund.request")); n != 2 {
			t.Errorf("%d refund requests audited, want 2", n)
		}
	})
}

// When the webhook records a staff refund before the staff request's second step, the
// money is counted once.
func TestRefundWebhookFirst(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		id := e.rawGift(t, Gift{AmountCents: 4000, StripePaymentIntent: "pi_race", StripeCharge: "ch_race", ReceivedAt: d.Now()})
		var target refundTarget
		err := d.InTx(ctx, func(tx *db.Tx) error {
			g, err := lockGift(ctx, tx, id)
			if err != nil {
				return err
			}
			row, err := tx.Insert(ctx, `INSERT INTO giving_refunds (gift_id, amount_cents, status, source, created_at, updated_at)
				VALUES (?, 1500, 'pending', 'staff', ?, ?)`, id, tx.Now, tx.Now)
			target = refundTarget{row: row, gift: g, amount: 1500, base: g.RefundedCents}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		booksChargeRefunded(t, e, "ch_race", "pi_race", 1500) // Stripe's event wins the race
		err = d.InTx(ctx, func(tx *db.Tx) error { return e.s.settleCardRefund(ctx, tx, target, "re_race", 1500, "succeeded") })
		if err != nil {
			t.Fatal(err)
		}
		if c, st := booksRefunded(t, d, id); c != 1500 || st != string(GiftPartiallyRefunded) {
			t.Errorf("refunded %d %s, want 1500 once", c, st)
		}
		// A refund Stripe answers as failed is recorded so and not counted.
		target.base, target.amount = 1500, 500
		err = d.InTx(ctx, func(tx *db.Tx) error { return e.s.settleCardRefund(ctx, tx, target, "re_failed", 500, "failed") })
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := booksRefunded(t, d, id); c != 1500 {
			t.Errorf("refunded %d after a failed refund, want 1500", c)
		}
	})
}

// Without Stripe set up a card gift cannot be refunded here; when Stripe refuses, the
// reserved row is marked failed, the gift is unchanged, and staff see why.
func TestRefundCardGiftWhenStripeCannot(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		off := newBooks(t, d, Config{})
		id := off.rawGift(t, Gift{AmountCents: 3000, StripePaymentIntent: "pi_off", ReceivedAt: d.Now()})
		if err := off.s.Refund(ctx, booksOrganizer, RefundRequest{GiftID: id}); errs.As(err).Key != "giving.refund.no_stripe" {
			t.Errorf("refund without Stripe: %v", err)
		}
		refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":{"type":"invalid_request_error","code":"charge_already_refunded","message":"Charge has already been refunded."}}`))
		}))
		defer refusing.Close()
		on := newBooks(t, d, Config{StripeSecretKey: testkit.StripeKey, StripeAPIBase: refusing.URL})
		err := on.s.Refund(ctx, booksOrganizer, RefundRequest{GiftID: id, AmountCents: 1000})
		if errs.As(err).Key != "giving.refund.stripe_failed" {
			t.Fatalf("refused refund: %v", err)
		}
		if c, st := booksRefunded(t, d, id); c != 0 || st != string(GiftSucceeded) {
			t.Errorf("gift changed: %d %s", c, st)
		}
		refunds, _ := on.s.Refunds(ctx, booksOrganizer, id)
		if len(refunds) != 1 || refunds[0].Status != "failed" {
			t.Errorf("refunds %+v, want one failed", refunds)
		}
		// The failed attempt reserves nothing: the full amount can still be refunded.
		var left int64
		if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM giving_refunds WHERE status = 'pending'").Scan(&left); err != nil || left != 0 {
			t.Errorf("%d pending refunds left", left)
		}
	})
}

// booksAudit lists the audit entries of an action.
func booksAudit(t *testing.T, d *db.DB, action string) []audit.Stored {
	t.Helper()
	entries, err := audit.List(context.Background(), d, audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}
