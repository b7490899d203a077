package giving

import (
	"context"
	"fmt"
	"strconv"

	"github.com/stripe/stripe-go/v82"

	"solidarity/internal/audit"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// ManageView is what a donor's manage page shows of their recurring gift: no name, no
// address, nothing the link's holder did not already know.
type ManageView struct {
	AmountCents int64
	Currency    string
	Interval    string // "month" or "year"
	Status      RecurringStatus
	// Dues is true for membership dues: their amount is the tier's, not the donor's to
	// change.
	Dues      bool
	PageTitle string // in the language asked for; "" when not given through a page
	StartedAt string // the day it started, 2006-01-02
}

// Amount writes the amount for people.
func (v ManageView) Amount() string { return FormatAmount(v.AmountCents, v.Currency) }

// CanChange reports whether the donor may change the amount now.
func (v ManageView) CanChange() bool { return !v.Dues && v.Running() }

// Running reports whether the gift still charges (active or retrying a failed charge).
func (v ManageView) Running() bool {
	return v.Status == RecurringActive || v.Status == RecurringPastDue
}

// ManageGift opens the recurring gift a manage link is for. An unknown, expired or
// malformed link is errs.NotFound("giving.manage.invalid").
func (s *Service) ManageGift(ctx context.Context, token, lang string) (ManageView, error) {
	id, err := manageRecurring(ctx, s.db, s.db.Now(), token)
	if err != nil {
		return ManageView{}, coded(err)
	}
	r, ok, err := loadRecurring(ctx, s.db, "id", id)
	if err != nil || !ok {
		return ManageView{}, coded(orNotFound(err))
	}
	v := ManageView{AmountCents: r.AmountCents, Currency: r.Currency, Interval: r.Interval, Status: r.Status,
		Dues: r.TierID != 0, StartedAt: r.StartedAt.Format("2006-01-02")}
	if r.PageID != 0 {
		if p, err := s.pageByID(ctx, s.db, r.PageID); err == nil {
			v.PageTitle = p.Title(lang)
		}
	}
	return v, nil
}

func orNotFound(err error) error {
	if err != nil {
		return err
	}
	return errManageLink()
}

// manageTarget opens a manage link for a change: the recurring gift, which must still be
// charging, and a Stripe client.
func (s *Service) manageTarget(ctx context.Context, token string) (Recurring, *stripe.Client, error) {
	id, err := manageRecurring(ctx, s.db, s.db.Now(), token)
	if err != nil {
		return Recurring{}, nil, coded(err)
	}
	r, ok, err := loadRecurring(ctx, s.db, "id", id)
	if err != nil || !ok {
		return Recurring{}, nil, coded(orNotFound(err))
	}
	if r.Stopped() || r.Subscription == "" {
		return Recurring{}, nil, errs.Conflict("giving.manage.stopped")
	}
	sc, err := s.stripeClient()
	if err != nil {
		return Recurring{}, nil, err
	}
	return r, sc, nil
}

// stripeFailed is the coded error of a Stripe call that did not go through.
func stripeFailed(what string, err error) error {
	return &errs.Error{Code: errs.CodeInternal, Key: "giving.manage.stripe_failed", Cause: fmt.Errorf("giving: stripe %s: %w", what, err)}
}

// ChangeAmount sets a new amount for a monthly gift from its manage link: Stripe's
// subscription item gets a new price from the next charge on (no proration), then the
// change is recorded, audited and confirmed by e-mail to the donor (so that a link that
// went astray cannot change a gift unnoticed). Dues keep their tier's amount.
func (s *Service) ChangeAmount(ctx context.Context, token, amount string) (ManageView, error) {
	r, sc, err := s.manageTarget(ctx, token)
	if err != nil {
		return ManageView{}, err
	}
	if r.TierID != 0 {
		return ManageView{}, errs.Conflict("giving.manage.dues_fixed")
	}
	cents, ok := ParseAmount(amount)
	switch {
	case !ok:
		return ManageView{}, errs.Invalid("amount", "giving.amount.invalid")
	case cents < MinAmountCents:
		return ManageView{}, errs.Invalid("amount", "giving.amount.too_small")
	case cents > MaxAmountCents:
		return ManageView{}, errs.Invalid("amount", "giving.amount.too_large")
	}
	if cents != r.AmountCents {
		sub, err := sc.V1Subscriptions.Retrieve(ctx, r.Subscription, nil)
		if err != nil {
			return ManageView{}, stripeFailed("subscription", err)
		}
		if sub.Items == nil || len(sub.Items.Data) == 0 || sub.Items.Data[0].Price == nil || sub.Items.Data[0].Price.Product == nil {
			return ManageView{}, stripeFailed("subscription", fmt.Errorf("subscription %s has no item", r.Subscription))
		}
		item := sub.Items.Data[0]
		params := &stripe.SubscriptionUpdateParams{
			ProrationBehavior: stripe.String("none"),
			Items: []*stripe.SubscriptionUpdateItemParams{{
				ID: stripe.String(item.ID),
				PriceData: &stripe.SubscriptionUpdateItemPriceDataParams{
					Currency: stripe.String(r.Currency), Product: stripe.String(item.Price.Product.ID), UnitAmount: stripe.Int64(cents),
					Recurring: &stripe.SubscriptionUpdateItemPriceDataRecurringParams{Interval: stripe.String(r.Interval)},
				},
			}},
		}
		if _, err := sc.V1Subscriptions.Update(ctx, r.Subscription, params); err != nil {
			return ManageView{}, stripeFailed("amount", err)
		}
		from := r.AmountCents
		err = s.inTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, "UPDATE giving_recurring SET amount_cents = ?, amount_at = ?, updated_at = ? WHERE id = ?",
				cents, tx.Now, tx.Now, r.ID); err != nil {
				return fmt.Errorf("giving: change amount: %w", err)
			}
			if err := donorAudit(ctx, tx, r.ID, "giving.recurring_amount", "from="+strconv.FormatInt(from, 10)+" to="+strconv.FormatInt(cents, 10)); err != nil {
				return err
			}
			r.AmountCents = cents
			return s.mailDonor(ctx, tx, r, "giving.recurring.mail.changed", "", "giving.recurring_changed")
		})
		if err != nil {
			return ManageView{}, err
		}
	}
	return s.ManageGift(ctx, token, r.Language)
}

// CancelRecurring stops a recurring gift from its manage link: Stripe cancels the
// subscription now, and the gift is recorded as cancelled, audited and confirmed by
// e-mail. Gifts already received stay.
func (s *Service) CancelRecurring(ctx context.Context, token string) error {
	r, sc, err := s.manageTarget(ctx, token)
	if err != nil {
		return err
	}
	params := &stripe.SubscriptionCancelParams{
		CancellationDetails: &stripe.SubscriptionCancelCancellationDetailsParams{Comment: stripe.String("cancelled by the donor")},
	}
	if _, err := sc.V1Subscriptions.Cancel(ctx, r.Subscription, params); err != nil {
		return stripeFailed("cancel", err)
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		if err := s.setRecurringStatus(ctx, tx, &r, RecurringCancelled, tx.Now); err != nil {
			return err
		}
		if err := donorAudit(ctx, tx, r.ID, "giving.recurring_cancel", ""); err != nil {
			return err
		}
		return s.mailDonor(ctx, tx, r, "giving.recurring.mail.cancelled", "", "giving.recurring_cancelled")
	})
}

// UpdateCardURL opens a Stripe Billing Portal session where the donor replaces the card
// of a recurring gift (card data goes to Stripe only), returning to the manage page.
func (s *Service) UpdateCardURL(ctx context.Context, token, lang string) (string, error) {
	r, sc, err := s.manageTarget(ctx, token)
	if err != nil {
		return "", err
	}
	if r.Customer == "" {
		return "", errs.Conflict("giving.manage.card_unavailable")
	}
	if lang != "es" {
		lang = "en"
	}
	sess, err := sc.V1BillingPortalSessions.Create(ctx, &stripe.BillingPortalSessionCreateParams{
		Customer:  stripe.String(r.Customer),
		Locale:    stripe.String(lang),
		ReturnURL: stripe.String(s.link(ManagePath + token)),
		FlowData:  &stripe.BillingPortalSessionCreateFlowDataParams{Type: stripe.String("payment_method_update")},
	})
	if err != nil || sess.URL == "" {
		if err == nil {
			err = fmt.Errorf("no portal URL")
		}
		return "", stripeFailed("portal", err)
	}
	err = s.inTx(ctx, func(tx *db.Tx) error { return donorAudit(ctx, tx, r.ID, "giving.recurring_card", "") })
	return sess.URL, err
}

// donorAudit records what a donor did through their manage link. The actor is the link
// (the recurring gift it opens): the donor has no account, and their name stays out.
func donorAudit(ctx context.Context, tx *db.Tx, recurringID int64, action, detail string) error {
	obj := recurringObject(recurringID)
	if err := audit.Record(ctx, tx, audit.Entry{Actor: "manage-link:" + obj, ActorName: "donor", Action: action, Object: obj, Detail: detail}); err != nil {
		return fmt.Errorf("giving: audit %s: %w", action, err)
	}
	return nil
}
