package giving

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/stripe/stripe-go/v82"

	"solidarity/internal/db"
)

// onCheckoutCompleted records what a finished Checkout paid for. A one-time payment
// becomes a gift keyed on its payment intent (a second event about it changes nothing); a
// subscription becomes (or updates) the recurring gift, whose payments arrive as invoices.
// Sessions that did not start here are ignored. A card gift is not written to the audit
// log: giving_events records every event the processor reported (the gift carries its
// Stripe ids); what people do to gifts (refunds, cancelling, changing amounts) and the
// status changes of recurring gifts are audited.
func (s *Service) onCheckoutCompleted(ctx context.Context, tx *db.Tx, cs *stripe.CheckoutSession, at time.Time) error {
	cid := checkoutOf(cs.Metadata)
	if cid == 0 {
		if id, err := strconv.ParseInt(cs.ClientReferenceID, 10, 64); err == nil && id > 0 {
			cid = id
		}
	}
	if cid == 0 {
		return nil
	}
	paid := cs.PaymentStatus == stripe.CheckoutSessionPaymentStatusPaid
	switch cs.Mode {
	case stripe.CheckoutSessionModeSubscription:
		if cs.Subscription == nil || cs.Subscription.ID == "" {
			return nil
		}
		status := RecurringPending
		if paid {
			status = RecurringActive
		}
		_, _, err := s.syncRecurring(ctx, tx, subFacts{Subscription: cs.Subscription.ID, Customer: customerID(cs.Customer),
			Checkout: cid, Status: status, At: at})
		return err
	case stripe.CheckoutSessionModePayment:
		if !paid || cs.PaymentIntent == nil || cs.PaymentIntent.ID == "" || cs.AmountTotal <= 0 {
			return nil // an asynchronous payment reports again when it succeeds
		}
		return s.oneTimeGift(ctx, tx, cs, cid, at)
	}
	return nil
}

// oneTimeGift records the gift of a paid one-time Checkout session.
func (s *Service) oneTimeGift(ctx context.Context, tx *db.Tx, cs *stripe.CheckoutSession, cid int64, at time.Time) error {
	if found, err := giftExists(ctx, tx, "stripe_payment_intent", cs.PaymentIntent.ID); err != nil || found {
		return err
	}
	c, ok, err := loadCheckout(ctx, tx, cid)
	if err != nil {
		return err
	}
	if ok && c.Frequency != "once" {
		return nil // not the checkout this session was opened for
	}
	if !ok {
		// Purged (a session paid weeks later): Stripe's own record of the donor will do.
		c = checkout{Kind: "donation", Language: "en"}
		if d := cs.CustomerDetails; d != nil {
			c.GivenName, c.Email = d.Name, d.Email
		}
		if cs.Locale == "es" {
			c.Language = "es"
		}
	}
	person, err := s.people.MatchDonor(ctx, tx, c.donor())
	if err != nil {
		return err
	}
	email := c.Email
	if email == "" && cs.CustomerDetails != nil {
		email = cs.CustomerDetails.Email
	}
	if _, err := s.addGift(ctx, tx, Gift{PersonID: person, PageID: c.PageID, FundID: c.FundID, TierID: c.TierID,
		AmountCents: cs.AmountTotal, Currency: string(cs.Currency), Method: MethodCard, ReceivedAt: at,
		StripePaymentIntent: cs.PaymentIntent.ID, DonorName: c.name(), DonorEmail: email, Language: c.Language}); err != nil {
		return err
	}
	if ok {
		return completeCheckout(ctx, tx, c.ID)
	}
	return nil
}

// giftExists reports whether a gift holds value in a unique Stripe id column.
func giftExists(ctx context.Context, tx *db.Tx, column, value string) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM giving_gifts WHERE "+column+" = ?", value).Scan(&n); err != nil {
		return false, fmt.Errorf("giving: look up gift: %w", err)
	}
	return n > 0, nil
}

func customerID(c *stripe.Customer) string {
	if c == nil {
		return ""
	}
	return c.ID
}

// invoiceSubscription returns the subscription an invoice bills, and its metadata.
func invoiceSubscription(inv *stripe.Invoice) (string, map[string]string) {
	if inv.Parent == nil || inv.Parent.SubscriptionDetails == nil || inv.Parent.SubscriptionDetails.Subscription == nil {
		return "", nil
	}
	d := inv.Parent.SubscriptionDetails
	return d.Subscription.ID, d.Metadata
}

// onInvoicePaid records one payment of a recurring gift: a gift keyed on the invoice (so
// the first invoice, which Checkout also reports, is counted once) with the recurring
// gift's page, fund and tier; dues extend the membership (addGift). The recurring gift
// is active again as of this event.
func (s *Service) onInvoicePaid(ctx context.Context, tx *db.Tx, inv *stripe.Invoice, at time.Time) error {
	sub, meta := invoiceSubscription(inv)
	if sub == "" {
		return nil
	}
	r, ok, err := s.syncRecurring(ctx, tx, subFacts{Subscription: sub, Customer: customerID(inv.Customer),
		Checkout: checkoutOf(meta), Status: RecurringActive, At: at})
	if err != nil || !ok || inv.AmountPaid <= 0 {
		return err
	}
	if found, err := giftExists(ctx, tx, "stripe_invoice", inv.ID); err != nil || found {
		return err
	}
	pi, charge, err := invoicePayment(ctx, tx, inv)
	if err != nil {
		return err
	}
	received := at
	if inv.StatusTransitions != nil && inv.StatusTransitions.PaidAt > 0 {
		received = time.Unix(inv.StatusTransitions.PaidAt, 0).UTC()
	}
	name, email := r.DonorName, r.DonorEmail
	if email == "" {
		name, email = inv.CustomerName, inv.CustomerEmail
	}
	_, err = s.addGift(ctx, tx, Gift{PersonID: r.PersonID, PageID: r.PageID, FundID: r.FundID, RecurringID: r.ID, TierID: r.TierID,
		AmountCents: inv.AmountPaid, Currency: string(inv.Currency), Method: MethodCard, ReceivedAt: received,
		StripeInvoice: inv.ID, StripePaymentIntent: pi, StripeCharge: charge, DonorName: name, DonorEmail: email, Language: r.Language})
	return err
}

// invoicePayment returns the payment intent and charge that paid an invoice: from the
// invoice itself when Stripe included its payments, else from its invoice_payment.paid
// event if that came first.
func invoicePayment(ctx context.Context, tx *db.Tx, inv *stripe.Invoice) (pi, charge string, err error) {
	if inv.Payments != nil {
		for _, p := range inv.Payments.Data {
			if p.Payment != nil && p.Payment.PaymentIntent != nil && p.Payment.PaymentIntent.ID != "" {
				pi = p.Payment.PaymentIntent.ID
				if p.Payment.Charge != nil {
					charge = p.Payment.Charge.ID
				}
			}
		}
		if pi != "" {
			return pi, charge, nil
		}
	}
	err = tx.QueryRowContext(ctx, "SELECT payment_intent, charge FROM giving_invoice_payments WHERE invoice = ?", inv.ID).Scan(&pi, &charge)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("giving: invoice payment: %w", err)
	}
	return pi, charge, nil
}

// onInvoicePayment notes which payment intent and charge paid an invoice, and gives them to
// the invoice's gift if it is recorded already (else invoicePayment finds them when it is),
// so that a refund of a monthly gift finds its gift.
func (s *Service) onInvoicePayment(ctx context.Context, tx *db.Tx, ip *stripe.InvoicePayment) error {
	if ip.Invoice == nil || ip.Invoice.ID == "" || ip.Payment == nil || ip.Payment.PaymentIntent == nil || ip.Payment.PaymentIntent.ID == "" {
		return nil
	}
	pi, charge := ip.Payment.PaymentIntent.ID, ""
	if ip.Payment.Charge != nil {
		charge = ip.Payment.Charge.ID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO giving_invoice_payments (invoice, payment_intent, charge, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (invoice) DO UPDATE SET payment_intent = excluded.payment_intent, charge = excluded.charge`,
		ip.Invoice.ID, pi, charge, tx.Now); err != nil {
		return fmt.Errorf("giving: note invoice payment: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE giving_gifts SET stripe_payment_intent = COALESCE(stripe_payment_intent, ?),
		stripe_charge = COALESCE(stripe_charge, ?), updated_at = ? WHERE stripe_invoice = ?`,
		pi, nullText(charge), tx.Now, ip.Invoice.ID); err != nil {
		return fmt.Errorf("giving: link invoice payment: %w", err)
	}
	return nil
}

// onInvoiceFailed marks a recurring gift past due when a renewal charge fails, and, at the
// first failed attempt of an invoice, e-mails the donor (in their language) a link to
// update their card. A failure older than newer news (the card was updated and a retry
// succeeded) changes nothing and sends nothing.
func (s *Service) onInvoiceFailed(ctx context.Context, tx *db.Tx, inv *stripe.Invoice, at time.Time) error {
	sub, meta := invoiceSubscription(inv)
	if sub == "" || inv.BillingReason == stripe.InvoiceBillingReasonSubscriptionCreate {
		return nil // the first payment fails on Checkout's own page, in front of the donor
	}
	r, ok, err := s.syncRecurring(ctx, tx, subFacts{Subscription: sub, Customer: customerID(inv.Customer),
		Checkout: checkoutOf(meta), Status: RecurringPastDue, At: at})
	if err != nil || !ok || r.Status != RecurringPastDue || r.StatusAt == nil || !r.StatusAt.Equal(at) || inv.AttemptCount > 1 {
		return err
	}
	return s.mailFailure(ctx, tx, r)
}

// onSubscription follows a subscription's own news: its status (past due, unpaid or
// cancelled after Stripe's last retry: lapsed; cancelled at someone's request: cancelled)
// and its amount.
func (s *Service) onSubscription(ctx context.Context, tx *db.Tx, sub *stripe.Subscription, at time.Time) error {
	_, _, err := s.syncRecurring(ctx, tx, subFacts{Subscription: sub.ID, Customer: customerID(sub.Customer),
		Checkout: checkoutOf(sub.Metadata), Status: subscriptionStatus(sub), AmountCents: subscriptionAmount(sub), At: at})
	return err
}

// subscriptionStatus maps Stripe's subscription status to ours.
func subscriptionStatus(sub *stripe.Subscription) RecurringStatus {
	switch sub.Status {
	case stripe.SubscriptionStatusActive, stripe.SubscriptionStatusTrialing:
		return RecurringActive
	case stripe.SubscriptionStatusPastDue:
		return RecurringPastDue
	case stripe.SubscriptionStatusIncomplete:
		return RecurringPending
	case stripe.SubscriptionStatusCanceled:
		if sub.CancellationDetails != nil && sub.CancellationDetails.Reason == stripe.SubscriptionCancellationDetailsReasonCancellationRequested {
			return RecurringCancelled
		}
		return RecurringLapsed
	case stripe.SubscriptionStatusUnpaid, stripe.SubscriptionStatusIncompleteExpired, stripe.SubscriptionStatusPaused:
		return RecurringLapsed
	}
	return ""
}

// subscriptionAmount is what a subscription charges each time, 0 when it does not say.
func subscriptionAmount(sub *stripe.Subscription) int64 {
	if sub.Items == nil {
		return 0
	}
	var total int64
	for _, it := range sub.Items.Data {
		if it.Price == nil {
			return 0
		}
		q := it.Quantity
		if q == 0 {
			q = 1
		}
		total += it.Price.UnitAmount * q
	}
	return total
}

// onChargeRefunded brings a card gift's refunded amount up to what Stripe says was
// refunded of its charge (a total, so a repeated or older event, or a refund staff already
// recorded, changes nothing). A refund of a gift not recorded yet waits for it (retried).
func (s *Service) onChargeRefunded(ctx context.Context, tx *db.Tx, ch *stripe.Charge) error {
	pi := ""
	if ch.PaymentIntent != nil {
		pi = ch.PaymentIntent.ID
	}
	var id, amount, refunded int64
	err := tx.QueryRowContext(ctx, `SELECT id, amount_cents, refunded_cents FROM giving_gifts
		WHERE stripe_charge = ? OR stripe_payment_intent = ?
		OR stripe_invoice IN (SELECT invoice FROM giving_invoice_payments WHERE charge = ? OR payment_intent = ?)
		ORDER BY id LIMIT 1`, ch.ID, nullText(pi), ch.ID, pi).Scan(&id, &amount, &refunded)
	if errors.Is(err, sql.ErrNoRows) {
		return errNotYet
	}
	if err != nil {
		return fmt.Errorf("giving: find refunded gift: %w", err)
	}
	total := min(ch.AmountRefunded, amount)
	if total <= refunded {
		return nil
	}
	status := GiftPartiallyRefunded
	if total >= amount {
		status = GiftRefunded
	}
	if _, err := tx.ExecContext(ctx, `UPDATE giving_gifts SET refunded_cents = ?, status = ?, stripe_charge = COALESCE(stripe_charge, ?),
		updated_at = ? WHERE id = ?`, total, string(status), ch.ID, tx.Now, id); err != nil {
		return fmt.Errorf("giving: record refund: %w", err)
	}
	return record(ctx, tx, stripeActor, "giving.gift_refunded", giftObject(id), "refunded_cents="+strconv.FormatInt(total, 10))
}
