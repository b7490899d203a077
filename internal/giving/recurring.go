package giving

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
)

// RecurringStatus is where a monthly gift (or recurring dues) stands.
type RecurringStatus string

// The statuses. Past due means a charge failed and Stripe is retrying; lapsed means Stripe
// gave up (or the first payment never came); cancelled means the donor or staff stopped it.
const (
	RecurringPending   RecurringStatus = "pending"
	RecurringActive    RecurringStatus = "active"
	RecurringPastDue   RecurringStatus = "past_due"
	RecurringLapsed    RecurringStatus = "lapsed"
	RecurringCancelled RecurringStatus = "cancelled"
)

// RecurringStatuses lists the statuses in display order.
func RecurringStatuses() []RecurringStatus {
	return []RecurringStatus{RecurringActive, RecurringPastDue, RecurringLapsed, RecurringCancelled, RecurringPending}
}

// Recurring is a monthly gift or recurring dues: a Stripe subscription.
type Recurring struct {
	ID           int64
	PersonID     int64
	PageID       int64
	FundID       int64
	TierID       int64
	AmountCents  int64
	Currency     string
	Interval     string // "month" or "year"
	Status       RecurringStatus
	Customer     string // Stripe's customer id
	Subscription string // Stripe's subscription id
	StartedAt    time.Time
	CancelledAt  *time.Time
	LapsedAt     *time.Time
	FailedAt     *time.Time
	StatusAt     *time.Time
	AmountAt     *time.Time
	DonorName    string
	DonorEmail   string
	Language     string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Amount writes the amount for people.
func (r Recurring) Amount() string { return FormatAmount(r.AmountCents, r.Currency) }

// Stopped reports whether the gift no longer charges.
func (r Recurring) Stopped() bool {
	return r.Status == RecurringCancelled || r.Status == RecurringLapsed
}

const recurringColumns = `id, person_id, page_id, fund_id, tier_id, amount_cents, currency, billing_interval, status,
	stripe_customer_id, stripe_subscription_id, started_at, cancelled_at, lapsed_at, failed_at, status_at, amount_at,
	donor_name, donor_email, language, created_at, updated_at`

func scanRecurring(scan func(...any) error, r *Recurring) error {
	var person, page, fund, tier sql.NullInt64
	var customer, sub sql.NullString
	var cancelled, lapsed, failed, statusAt, amountAt sql.NullTime
	if err := scan(&r.ID, &person, &page, &fund, &tier, &r.AmountCents, &r.Currency, &r.Interval, &r.Status,
		&customer, &sub, &r.StartedAt, &cancelled, &lapsed, &failed, &statusAt, &amountAt,
		&r.DonorName, &r.DonorEmail, &r.Language, &r.CreatedAt, &r.UpdatedAt); err != nil {
		return err
	}
	r.PersonID, r.PageID, r.FundID, r.TierID = person.Int64, page.Int64, fund.Int64, tier.Int64
	r.Customer, r.Subscription = customer.String, sub.String
	r.CancelledAt, r.LapsedAt, r.FailedAt = timePtr(cancelled), timePtr(lapsed), timePtr(failed)
	r.StatusAt, r.AmountAt = timePtr(statusAt), timePtr(amountAt)
	return nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

// loadRecurring reads one recurring gift by a column that is unique (id or
// stripe_subscription_id); ok is false when there is none.
func loadRecurring(ctx context.Context, q db.Queryer, column string, value any) (Recurring, bool, error) {
	var r Recurring
	err := scanRecurring(q.QueryRowContext(ctx, "SELECT "+recurringColumns+" FROM giving_recurring WHERE "+column+" = ?", value).Scan, &r)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Recurring{}, false, nil
	case err != nil:
		return Recurring{}, false, fmt.Errorf("giving: read recurring gift: %w", err)
	}
	return r, true, nil
}

func recurringObject(id int64) string { return fmt.Sprintf("giving_recurring:%d", id) }

// stripeActor is who Stripe's events act as in the audit log.
var stripeActor = auth.System("stripe")

// subFacts is what one Stripe event says about a subscription. Zero values say nothing.
type subFacts struct {
	Subscription string
	Customer     string
	Checkout     int64           // our checkout id, from the metadata
	Status       RecurringStatus // "" leaves the status alone
	AmountCents  int64           // 0 leaves the amount alone
	At           time.Time       // when Stripe created the event: older news never overrides newer
}

// syncRecurring applies what an event says about a subscription, whatever order events
// come in: it finds the recurring gift by its subscription id, or creates it from the
// checkout that started it (matching or creating the donor's person), then moves its
// status and amount only when the event is not older than the one that last set them. A
// cancelled gift stays cancelled. ok is false when the subscription is not one of ours
// (no recurring gift and no checkout of ours in its metadata).
func (s *Service) syncRecurring(ctx context.Context, tx *db.Tx, f subFacts) (Recurring, bool, error) {
	r, ok, err := loadRecurring(ctx, tx, "stripe_subscription_id", f.Subscription)
	if err != nil || f.Subscription == "" {
		return Recurring{}, false, err
	}
	if !ok {
		if r, ok, err = s.startRecurring(ctx, tx, f); err != nil || !ok {
			return Recurring{}, false, err
		}
	}
	if f.Customer != "" && r.Customer == "" {
		if _, err := tx.ExecContext(ctx, "UPDATE giving_recurring SET stripe_customer_id = ?, updated_at = ? WHERE id = ?", f.Customer, tx.Now, r.ID); err != nil {
			return Recurring{}, false, fmt.Errorf("giving: recurring customer: %w", err)
		}
		r.Customer = f.Customer
	}
	if f.AmountCents > 0 && f.AmountCents != r.AmountCents && newer(f.At, r.AmountAt) {
		if _, err := tx.ExecContext(ctx, "UPDATE giving_recurring SET amount_cents = ?, amount_at = ?, updated_at = ? WHERE id = ?",
			f.AmountCents, f.At, tx.Now, r.ID); err != nil {
			return Recurring{}, false, fmt.Errorf("giving: recurring amount: %w", err)
		}
		r.AmountCents, r.AmountAt = f.AmountCents, &f.At
	}
	if f.Status != "" && newer(f.At, r.StatusAt) {
		if err := s.setRecurringStatus(ctx, tx, &r, f.Status, f.At); err != nil {
			return Recurring{}, false, err
		}
	}
	return r, true, nil
}

// newer reports whether an event created at is not older than the one that set a value
// (nil: nothing set it yet). Equal times apply: Stripe's clock counts seconds.
func newer(at time.Time, last *time.Time) bool { return last == nil || !at.Before(*last) }

// setRecurringStatus moves r to status as of at (a cancelled gift stays cancelled),
// stamping when it lapsed, was cancelled or failed, and audits the change.
func (s *Service) setRecurringStatus(ctx context.Context, tx *db.Tx, r *Recurring, status RecurringStatus, at time.Time) error {
	if r.Status == RecurringCancelled || r.Status == status {
		if r.Status == status {
			_, err := tx.ExecContext(ctx, "UPDATE giving_recurring SET status_at = ? WHERE id = ?", at, r.ID)
			r.StatusAt = &at
			return err
		}
		return nil
	}
	q, args := "UPDATE giving_recurring SET status = ?, status_at = ?, updated_at = ?", []any{status, at, tx.Now}
	switch status {
	case RecurringLapsed:
		q, args = q+", lapsed_at = ?", append(args, at)
		r.LapsedAt = &at
	case RecurringCancelled:
		q, args = q+", cancelled_at = ?", append(args, at)
		r.CancelledAt = &at
	case RecurringPastDue:
		q, args = q+", failed_at = ?", append(args, at)
		r.FailedAt = &at
	}
	if _, err := tx.ExecContext(ctx, q+" WHERE id = ?", append(args, r.ID)...); err != nil {
		return fmt.Errorf("giving: recurring status: %w", err)
	}
	from := r.Status
	r.Status, r.StatusAt = status, &at
	return record(ctx, tx, stripeActor, "giving.recurring_"+string(status), recurringObject(r.ID), "from="+string(from))
}

// startRecurring creates the recurring gift of a subscription from the checkout its
// metadata names. ok is false when there is no such checkout (not ours, or purged long
// ago, in which case the gift would already exist).
func (s *Service) startRecurring(ctx context.Context, tx *db.Tx, f subFacts) (Recurring, bool, error) {
	c, ok, err := loadCheckout(ctx, tx, f.Checkout)
	if err != nil || !ok || c.Frequency == "once" {
		return Recurring{}, false, err
	}
	person, err := s.people.MatchDonor(ctx, tx, c.donor())
	if err != nil {
		return Recurring{}, false, err
	}
	status := f.Status
	if status == "" {
		status = RecurringPending
	}
	amount := c.AmountCents
	var amountAt any
	if f.AmountCents > 0 {
		amount, amountAt = f.AmountCents, f.At
	}
	// ON CONFLICT: two events of one new subscription may race on PostgreSQL; the loser
	// reads the winner's row.
	if _, err := tx.ExecContext(ctx, `INSERT INTO giving_recurring (person_id, page_id, fund_id, tier_id, amount_cents, currency,
		billing_interval, status, stripe_customer_id, stripe_subscription_id, started_at, status_at, amount_at, checkout_id,
		donor_name, donor_email, language, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (stripe_subscription_id) DO NOTHING`,
		nullID(person), nullID(c.PageID), nullID(c.FundID), nullID(c.TierID), amount, c.Currency, c.Frequency, string(status),
		nullText(f.Customer), f.Subscription, f.At, f.At, amountAt, c.ID, c.name(), c.Email, c.Language, tx.Now, tx.Now); err != nil {
		return Recurring{}, false, fmt.Errorf("giving: start recurring gift: %w", err)
	}
	r, ok, err := loadRecurring(ctx, tx, "stripe_subscription_id", f.Subscription)
	if err != nil || !ok {
		return Recurring{}, false, err
	}
	if err := completeCheckout(ctx, tx, c.ID); err != nil {
		return Recurring{}, false, err
	}
	return r, true, record(ctx, tx, stripeActor, "giving.recurring_start", recurringObject(r.ID), "status="+string(r.Status))
}

// completeCheckout marks a checkout paid.
func completeCheckout(ctx context.Context, tx *db.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, "UPDATE giving_checkouts SET completed_at = ? WHERE id = ? AND completed_at IS NULL", tx.Now, id); err != nil {
		return fmt.Errorf("giving: complete checkout: %w", err)
	}
	return nil
}
