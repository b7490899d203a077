package giving

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stripe/stripe-go/v82"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// How refunds are counted, on both sides (this file, and the webhook's charge.refunded in
// webhook_events.go, onChargeRefunded):
//
//   - A card gift's refunded_cents only ever moves up toward what Stripe has refunded of
//     its charge, never by blindly adding an amount. The webhook sets it to
//     max(refunded_cents, charge.amount_refunded). A staff refund, once Stripe has
//     confirmed it, sets it to max(refunded_cents, base + refund.amount), where base is what
//     was refunded or reserved when the staff refund was reserved. Both moves are
//     idempotent and commute: whichever of the two arrives second (the webhook after the
//     staff refund, or the staff refund's second step after the webhook) changes nothing,
//     and a duplicate or late event changes nothing.
//   - A staff refund of a card gift runs in two steps so that no transaction is held open
//     while Stripe answers: a 'pending' row of giving_refunds reserves the amount (so that
//     two refunds cannot together exceed the gift), Stripe is called with an idempotency
//     key made from that row, and the row is then settled with Stripe's refund id (re_…,
//     UNIQUE) and status. If Stripe refuses, the row is 'failed' and nothing is counted.
//   - giving_refunds is the record of refunds made here (who, when, why, Stripe's id); a
//     refund made in Stripe's dashboard reaches refunded_cents through the webhook only, and
//     the gift's page shows it as refunded in Stripe.
//   - Offline gifts have no Stripe side: their refund row is written 'succeeded' and the
//     amount added in one transaction.

// pendingRefundTTL is how long a pending card refund reserves its amount. A pending row
// older than that belongs to a request that died between its two steps; Stripe's own
// limit (no refund beyond the charge) still holds, and the webhook records whatever Stripe
// did.
const pendingRefundTTL = 10 * time.Minute

// RefundRequest asks to refund part or all of a gift.
type RefundRequest struct {
	GiftID int64
	// AmountCents is how much to give back; 0 means all that is left.
	AmountCents int64
	// Reason is staff's note, kept with the refund (never sent to Stripe).
	Reason string
}

// Refund gives money back: a card gift through Stripe (a refund of its payment), any other
// gift by recording that staff returned it. The amount cannot exceed what is left of the
// gift after earlier and pending refunds. The gift's refunded amount and status change,
// the donor's timeline shows it, and every step is audited. It needs giving.write.
func (s *Service) Refund(ctx context.Context, actor auth.Actor, req RefundRequest) error {
	if err := actor.Require(auth.PermGivingWrite); err != nil {
		return err
	}
	req.Reason = strings.TrimSpace(req.Reason)
	var l errs.List
	if req.AmountCents < 0 {
		l.Add("amount", "giving.refund.amount_positive")
	}
	if utf8.RuneCountInString(req.Reason) > maxReason || !utf8.ValidString(req.Reason) {
		l.Add("reason", "giving.refund.reason_invalid")
	}
	if err := l.Err(); err != nil {
		return err
	}
	var card refundTarget
	err := s.inTx(ctx, func(tx *db.Tx) error {
		g, err := lockGift(ctx, tx, req.GiftID)
		if err != nil {
			return err
		}
		var pending int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount_cents), 0) FROM giving_refunds
			WHERE gift_id = ? AND status = 'pending' AND created_at > ?`, g.ID, tx.Now.Add(-pendingRefundTTL)).Scan(&pending); err != nil {
			return fmt.Errorf("giving: pending refunds: %w", err)
		}
		left := g.AmountCents - g.RefundedCents - pending
		amount := req.AmountCents
		switch {
		case left <= 0 && pending > 0:
			return errs.Conflict("giving.refund.in_progress")
		case left <= 0:
			return errs.Invalid("amount", "giving.refund.already_refunded")
		case amount == 0:
			amount = left
		case amount > left:
			return errs.Invalid("amount", "giving.refund.amount_too_large")
		}
		detail := fmt.Sprintf(`{"amount_cents":%d,"currency":%q}`, amount, g.Currency)
		if g.Method != MethodCard {
			rid, err := tx.Insert(ctx, `INSERT INTO giving_refunds (gift_id, amount_cents, status, source, reason, recorded_by, created_at, updated_at)
				VALUES (?, ?, 'succeeded', 'staff', ?, ?, ?, ?)`, g.ID, amount, req.Reason, actor.Label(), tx.Now, tx.Now)
			if err != nil {
				return fmt.Errorf("giving: record refund: %w", err)
			}
			if err := s.refundTo(ctx, tx, g, g.RefundedCents+amount, amount); err != nil {
				return err
			}
			return record(ctx, tx, actor, "giving.refund", refundObject(rid), detail)
		}
		if _, err := s.stripeClient(); err != nil {
			return errs.Conflict("giving.refund.no_stripe")
		}
		if g.PaymentIntent == "" && g.Charge == "" {
			return errs.Invalid("amount", "giving.refund.no_payment")
		}
		rid, err := tx.Insert(ctx, `INSERT INTO giving_refunds (gift_id, amount_cents, status, source, reason, recorded_by, created_at, updated_at)
			VALUES (?, ?, 'pending', 'staff', ?, ?, ?, ?)`, g.ID, amount, req.Reason, actor.Label(), tx.Now, tx.Now)
		if err != nil {
			return fmt.Errorf("giving: reserve refund: %w", err)
		}
		card = refundTarget{row: rid, gift: g, amount: amount, base: g.RefundedCents + pending}
		return record(ctx, tx, actor, "giving.refund.request", refundObject(rid), detail)
	})
	if err != nil || card.row == 0 {
		return err
	}
	return s.refundByStripe(ctx, actor, card)
}

// refundTarget is a card refund between its two steps.
type refundTarget struct {
	row    int64
	gift   lockedGift
	amount int64
	// base is what was refunded or reserved before this refund, when it was reserved.
	base int64
}

// refundByStripe asks Stripe for the refund reserved by t.row and settles the row with
// Stripe's answer.
func (s *Service) refundByStripe(ctx context.Context, actor auth.Actor, t refundTarget) error {
	sc, err := s.stripeClient()
	if err != nil {
		return err
	}
	params := &stripe.RefundCreateParams{Amount: stripe.Int64(t.amount)}
	if t.gift.PaymentIntent != "" {
		params.PaymentIntent = stripe.String(t.gift.PaymentIntent)
	} else {
		params.Charge = stripe.String(t.gift.Charge)
	}
	params.AddMetadata("solidarity_refund", strconv.FormatInt(t.row, 10))
	params.AddMetadata("solidarity_gift", strconv.FormatInt(t.gift.ID, 10))
	// A retry of this very request (stripe-go retries network failures) makes no second
	// refund: Stripe answers a repeated key with the first result. The random part keeps
	// keys apart across installs that share a Stripe account (a test copy, a restore).
	params.SetIdempotencyKey("solidarity-refund-" + strconv.FormatInt(t.row, 10) + "-" + newToken()[:16])
	callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stripeTimeout)
	defer cancel()
	re, callErr := sc.V1Refunds.Create(callCtx, params)
	// The outcome is written even if the staff member's request has gone meanwhile.
	ctx = context.WithoutCancel(ctx)
	if callErr != nil {
		s.log.Warn("stripe refund failed", "refund", t.row, "err", callErr)
		err := s.inTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, "UPDATE giving_refunds SET status = 'failed', updated_at = ? WHERE id = ? AND status = 'pending'",
				tx.Now, t.row); err != nil {
				return fmt.Errorf("giving: mark refund failed: %w", err)
			}
			return record(ctx, tx, actor, "giving.refund.failed", refundObject(t.row), "")
		})
		if err != nil {
			return err
		}
		return &errs.Error{Code: errs.CodeConflict, Key: "giving.refund.stripe_failed", Cause: callErr}
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		if err := s.settleCardRefund(ctx, tx, t, re.ID, re.Amount, string(re.Status)); err != nil {
			return err
		}
		return record(ctx, tx, actor, "giving.refund", refundObject(t.row), fmt.Sprintf(`{"amount_cents":%d,"status":%q}`, re.Amount, re.Status))
	})
}

// settleCardRefund records Stripe's answer to the staff refund reserved by t: the row gets
// Stripe's refund id and status, and, unless Stripe failed or canceled it, the gift's
// refunded amount moves up to base + amount (see the rule at the top of this file).
func (s *Service) settleCardRefund(ctx context.Context, tx *db.Tx, t refundTarget, refundID string, amount int64, stripeStatus string) error {
	g, err := lockGift(ctx, tx, t.gift.ID)
	if err != nil {
		return err
	}
	status := "succeeded"
	if stripeStatus == "failed" || stripeStatus == "canceled" {
		status = "failed"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE giving_refunds SET stripe_refund_id = ?, status = ?, amount_cents = ?, updated_at = ?
		WHERE id = ?`, refundID, status, amount, tx.Now, t.row); err != nil {
		return fmt.Errorf("giving: settle refund: %w", err)
	}
	if status != "succeeded" {
		return nil
	}
	return s.refundTo(ctx, tx, g, t.base+amount, amount)
}

// lockedGift is what a refund needs of a gift, read under the row's lock.
type lockedGift struct {
	ID            int64
	PersonID      int64
	AmountCents   int64
	RefundedCents int64
	Currency      string
	Method        Method
	PaymentIntent string
	Charge        string
}

// lockGift reads a gift for a change of its refunds, first touching its row so that on
// PostgreSQL concurrent refunds of one gift queue behind each other (SQLite has one writer
// anyway).
func lockGift(ctx context.Context, tx *db.Tx, id int64) (lockedGift, error) {
	res, err := tx.ExecContext(ctx, "UPDATE giving_gifts SET updated_at = ? WHERE id = ?", tx.Now, id)
	if err != nil {
		return lockedGift{}, fmt.Errorf("giving: lock gift: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lockedGift{}, errs.NotFound("giving.gift.not_found")
	}
	var g lockedGift
	var person sql.NullInt64
	var pi, charge sql.NullString
	var method string
	err = tx.QueryRowContext(ctx, `SELECT id, person_id, amount_cents, refunded_cents, currency, method, stripe_payment_intent, stripe_charge
		FROM giving_gifts WHERE id = ?`, id).Scan(&g.ID, &person, &g.AmountCents, &g.RefundedCents, &g.Currency, &method, &pi, &charge)
	if err != nil {
		return lockedGift{}, db.Translate(err, "giving.gift.not_found", "")
	}
	g.PersonID, g.Method, g.PaymentIntent, g.Charge = person.Int64, Method(method), pi.String, charge.String
	return g, nil
}

// refundTo moves the gift's refunded amount up to total (kept within the gift's amount;
// never down), sets its status to match, and puts the refund of amount on the donor's
// timeline when something changed.
func (s *Service) refundTo(ctx context.Context, tx *db.Tx, g lockedGift, total, amount int64) error {
	refunded := min(max(total, g.RefundedCents), g.AmountCents)
	if refunded == g.RefundedCents {
		return nil
	}
	status := GiftPartiallyRefunded
	if refunded >= g.AmountCents {
		status = GiftRefunded
	}
	if _, err := tx.ExecContext(ctx, "UPDATE giving_gifts SET refunded_cents = ?, status = ?, updated_at = ? WHERE id = ?",
		refunded, string(status), tx.Now, g.ID); err != nil {
		return fmt.Errorf("giving: count refund: %w", err)
	}
	if g.PersonID != 0 {
		if err := s.people.AddEvent(ctx, tx, g.PersonID, people.NewEvent{Kind: "giving.refund", SummaryKey: "giving.timeline.refund",
			Source: "giving", Data: map[string]any{"Amount": FormatAmount(amount, g.Currency)}}); err != nil {
			return err
		}
	}
	return nil
}

// Refunds lists a gift's refunds, oldest first. It needs giving.read.
func (s *Service) Refunds(ctx context.Context, actor auth.Actor, giftID int64) ([]RefundRecord, error) {
	if err := actor.Require(auth.PermGivingRead); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, amount_cents, status, source, COALESCE(stripe_refund_id, ''), reason, recorded_by, created_at
		FROM giving_refunds WHERE gift_id = ? ORDER BY created_at, id`, giftID)
	if err != nil {
		return nil, errs.Internal(fmt.Errorf("giving: list refunds: %w", err))
	}
	defer rows.Close()
	var out []RefundRecord
	for rows.Next() {
		var r RefundRecord
		if err := rows.Scan(&r.ID, &r.AmountCents, &r.Status, &r.Source, &r.StripeRefundID, &r.Reason, &r.RecordedBy, &r.CreatedAt); err != nil {
			return nil, errs.Internal(fmt.Errorf("giving: read refund: %w", err))
		}
		out = append(out, r)
	}
	return out, coded(rows.Err())
}

// RefundRecord is one refund of a gift as staff see it.
type RefundRecord struct {
	ID             int64
	AmountCents    int64
	Status         string // pending, succeeded, failed, superseded
	Source         string // staff or stripe
	StripeRefundID string
	Reason         string
	RecordedBy     string
	CreatedAt      time.Time
}

// refundObject is how audit entries name a refund.
func refundObject(id int64) string { return fmt.Sprintf("giving_refund:%d", id) }
