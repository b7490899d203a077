package giving

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

// cardMonthly makes an active monthly gift of $25 through the webhooks and returns the
// token of a manage link for it.
func (e *cardEnv) cardMonthly(t *testing.T, sub string) (Recurring, string) {
	t.Helper()
	e.page(t, "monthly-"+sub[len(sub)-1:])
	req := cardDonor
	req.Slug, req.Amount, req.Frequency = "monthly-"+sub[len(sub)-1:], "2500", FrequencyMonthly
	cid := e.give(t, req)
	now := time.Now().Add(-time.Minute)
	e.deliver(t, "evt_c_"+sub, stripe.EventTypeCheckoutSessionCompleted, now, cardSession(cid, "subscription", "", sub, 2500))
	e.deliver(t, "evt_i_"+sub, stripe.EventTypeInvoicePaid, now, cardInvoice("in_"+sub, sub, cid, 2500, "subscription_create", 1))
	r := e.recurring(t, sub)
	var link string
	if err := e.d.InTx(context.Background(), func(tx *db.Tx) error {
		var err error
		link, err = e.s.manageLink(context.Background(), tx, r.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	prefix := "https://network.example.org" + ManagePath
	if !strings.HasPrefix(link, prefix) {
		t.Fatalf("manage link %q", link)
	}
	return r, strings.TrimPrefix(link, prefix)
}

func TestManageLinkChangesAndCancelsAGift(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newCard(t, d, true)
		ctx := context.Background()
		r, token := e.cardMonthly(t, "sub_a")
		v, err := e.s.ManageGift(ctx, token, "es")
		if err != nil {
			t.Fatal(err)
		}
		if v.AmountCents != 2500 || v.Status != RecurringActive || !v.CanChange() || v.PageTitle != "Fondo de fianzas" {
			t.Errorf("manage view %+v", v)
		}
		// Links are stored hashed: the token itself is nowhere in the database.
		if n := e.count(t, "SELECT COUNT(*) FROM giving_manage_tokens WHERE token_hash = ?", token); n != 0 {
			t.Error("token stored in the clear")
		}
		for _, bad := range []string{"", "short", strings.Repeat("A", 43), token + "x"} {
			if _, err := e.s.ManageGift(ctx, bad, "en"); errs.CodeOf(err) != errs.CodeNotFound {
				t.Errorf("link %q: %v", bad, err)
			}
		}
		_, err = e.s.ChangeAmount(ctx, token, "0.10")
		cardWantField(t, err, "amount", "giving.amount.too_small")
		v, err = e.s.ChangeAmount(ctx, token, "40")
		if err != nil {
			t.Fatal(err)
		}
		if v.AmountCents != 4000 {
			t.Errorf("after the change %+v", v)
		}
		changed := e.mail.sent("giving.recurring_changed")
		if len(changed) != 1 || !strings.Contains(changed[0].Subject, "$40") {
			t.Errorf("change confirmation %+v", changed)
		}
		// Stripe's own update event, older than the donor's change, does not undo it.
		e.deliver(t, "evt_old_update", stripe.EventTypeCustomerSubscriptionUpdated, time.Now().Add(-time.Hour),
			cardSubscription("sub_a", 0, "active", 2500, ""))
		if got := e.recurring(t, "sub_a"); got.AmountCents != 4000 {
			t.Errorf("amount after a stale event: %d", got.AmountCents)
		}
		if url, err := e.s.UpdateCardURL(ctx, token, "es"); err != nil || !strings.HasPrefix(url, "https://") {
			t.Errorf("portal URL %q %v", url, err)
		}
		if err := e.s.CancelRecurring(ctx, token); err != nil {
			t.Fatal(err)
		}
		if got := e.recurring(t, "sub_a"); got.Status != RecurringCancelled || got.CancelledAt == nil {
			t.Errorf("after cancel %+v", got)
		}
		if n := len(e.mail.sent("giving.recurring_cancelled")); n != 1 {
			t.Errorf("%d cancel confirmations", n)
		}
		if _, err := e.s.ChangeAmount(ctx, token, "50"); errs.CodeOf(err) != errs.CodeConflict {
			t.Errorf("change after cancel: %v", err)
		}
		for _, action := range []string{"giving.recurring_amount", "giving.recurring_card", "giving.recurring_cancel"} {
			if n := e.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = ? AND object = ?", action, recurringObject(r.ID)); n != 1 {
				t.Errorf("%d audit entries %s", n, action)
			}
		}
		// An expired link stops working.
		if _, err := d.ExecContext(ctx, "UPDATE giving_manage_tokens SET expires_at = ?", time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.ManageGift(ctx, token, "en"); errs.CodeOf(err) != errs.CodeNotFound {
			t.Errorf("expired link: %v", err)
		}
		if n, err := e.s.SweepCard(ctx); err != nil || n == 0 {
			t.Errorf("sweep removed %d, %v", n, err)
		}
	})
}
