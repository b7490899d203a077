package giving

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/jobs"
)

// WebhookPath is where Stripe delivers its events.
const WebhookPath = "/webhooks/stripe"

// ReceiveStripeEvent takes one webhook delivery: it verifies the Stripe-Signature header
// against the webhook secret (within Stripe's default five-minute tolerance), then stores
// the event and applies it in the same transaction. The event's id is the primary key of
// giving_events, so a second delivery of the same event is a no-op and each event is
// applied exactly once. When applying fails, the applying alone is rolled back (a
// savepoint): the event is still committed, unprocessed, together with a job that retries
// it with backoff, so that it is never lost; the delivery is answered as received. It
// returns once the event is committed (deliveries that arrive together share one
// transaction: webhook_batch.go).
//
// A forged, stale or missing signature is errs.Invalid("signature", …) and nothing is
// stored; without a configured webhook secret the answer is errs.Conflict("giving.card.off").
func (s *Service) ReceiveStripeEvent(ctx context.Context, payload []byte, signature string) error {
	if s.cfg.StripeWebhookSecret == "" {
		return errs.Conflict("giving.card.off")
	}
	ev, err := webhook.ConstructEventWithOptions(payload, signature, s.cfg.StripeWebhookSecret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil || ev.ID == "" || ev.Data == nil {
		return errs.Invalid("signature", "giving.webhook.invalid")
	}
	return s.events.store(s, &pendingEvent{ev: ev, payload: payload, done: make(chan error, 1)})
}

// storeEvent stores one verified event and applies it, inside tx. The event is stored as
// processed and applied under a savepoint; when applying fails, only the applying is
// undone, and the event is marked unprocessed with its error and a retry job. A failure of
// the storing itself fails the whole transaction (and every delivery in it, which Stripe
// sends again).
func (s *Service) storeEvent(ctx context.Context, tx *db.Tx, ev stripe.Event, payload []byte) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO giving_events (id, type, created, payload, received_at, processed_at, attempts)
		VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (id) DO NOTHING`, ev.ID, string(ev.Type), eventTime(ev), string(payload), tx.Now, tx.Now)
	if err != nil {
		return fmt.Errorf("giving: store event: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err // delivered before: done already, or its retry is queued
	}
	err = s.applyIsolated(ctx, tx, ev)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	s.log.Warn("giving: stripe event not applied; retrying later", "event", ev.ID, "type", string(ev.Type), "err", err)
	if _, err := tx.ExecContext(ctx, "UPDATE giving_events SET processed_at = NULL, last_error = ? WHERE id = ?", safeError(err), ev.ID); err != nil {
		return fmt.Errorf("giving: note event error: %w", err)
	}
	return s.jobs.Enqueue(ctx, tx, EventArgs{EventID: ev.ID}, &jobs.InsertOpts{ScheduledAt: tx.Now.Add(retryFirst)})
}

// retryFirst is how long a failed event waits before its first retry; the job's own
// backoff spaces the next ones.
const retryFirst = 10 * time.Second

// eventTime is when Stripe created the event.
func eventTime(ev stripe.Event) time.Time { return time.Unix(ev.Created, 0).UTC() }

// safeError is what is kept of an error: its text, which never holds donor data (the
// handlers wrap ids and codes only), cut short.
func safeError(err error) string {
	msg := err.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	return msg
}

// applyIsolated applies an event inside a savepoint of tx, so that a failure undoes the
// applying and nothing else.
func (s *Service) applyIsolated(ctx context.Context, tx *db.Tx, ev stripe.Event) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT giving_apply"); err != nil {
		return fmt.Errorf("giving: savepoint: %w", err)
	}
	if err := s.applyEvent(ctx, tx, ev); err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT giving_apply"); rerr != nil {
			return errors.Join(err, rerr)
		}
		_, _ = tx.ExecContext(ctx, "RELEASE SAVEPOINT giving_apply")
		return err
	}
	_, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT giving_apply")
	return err
}

// errNotYet says an event depends on one that has not arrived (a refund of a gift not yet
// recorded): it is retried later, when the other has.
var errNotYet = errors.New("giving: waiting for an earlier event")

// applyEvent does what one event says, idempotently: each handler keys what it writes on
// Stripe's ids (a gift on its payment intent or invoice, a recurring gift on its
// subscription) and ignores news older than what it already knows. Events of other kinds,
// and events about payments that did not start here, change nothing.
func (s *Service) applyEvent(ctx context.Context, tx *db.Tx, ev stripe.Event) error {
	at := eventTime(ev)
	var err error
	switch ev.Type {
	case stripe.EventTypeCheckoutSessionCompleted, stripe.EventTypeCheckoutSessionAsyncPaymentSucceeded:
		var cs stripe.CheckoutSession
		if err = decode(ev, &cs); err == nil {
			err = s.onCheckoutCompleted(ctx, tx, &cs, at)
		}
	case stripe.EventTypeInvoicePaid:
		var inv stripe.Invoice
		if err = decode(ev, &inv); err == nil {
			err = s.onInvoicePaid(ctx, tx, &inv, at)
		}
	case stripe.EventTypeInvoicePaymentFailed:
		var inv stripe.Invoice
		if err = decode(ev, &inv); err == nil {
			err = s.onInvoiceFailed(ctx, tx, &inv, at)
		}
	case stripe.EventTypeInvoicePaymentPaid:
		var ip stripe.InvoicePayment
		if err = decode(ev, &ip); err == nil {
			err = s.onInvoicePayment(ctx, tx, &ip)
		}
	case stripe.EventTypeCustomerSubscriptionCreated, stripe.EventTypeCustomerSubscriptionUpdated,
		stripe.EventTypeCustomerSubscriptionDeleted:
		var sub stripe.Subscription
		if err = decode(ev, &sub); err == nil {
			err = s.onSubscription(ctx, tx, &sub, at)
		}
	case stripe.EventTypeChargeRefunded:
		var ch stripe.Charge
		if err = decode(ev, &ch); err == nil {
			err = s.onChargeRefunded(ctx, tx, &ch)
		}
	}
	if err != nil {
		return fmt.Errorf("giving: apply %s %s: %w", ev.Type, ev.ID, err)
	}
	return nil
}

// decode reads the object of an event.
func decode(ev stripe.Event, into any) error {
	if err := json.Unmarshal(ev.Data.Raw, into); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}

// EventArgs is the job that applies a stored Stripe event that could not be applied on
// arrival.
type EventArgs struct {
	EventID string `json:"event_id"`
}

// Kind names the job.
func (EventArgs) Kind() string { return "giving.stripe_event" }

type eventWorker struct {
	jobs.WorkerDefaults[EventArgs]
	s *Service
}

// Work applies the event unless it is processed already (a retry that committed, then
// stopped before River marked its job done, runs again and changes nothing).
func (w *eventWorker) Work(ctx context.Context, job *jobs.Job[EventArgs]) error {
	return w.s.RetryEvent(ctx, job.Args.EventID)
}

// RetryEvent applies a stored event that is not processed yet, in one transaction; a
// processed or unknown event is left alone. On failure the attempt is counted, the error
// noted, and the error returned (the job retries with backoff).
func (s *Service) RetryEvent(ctx context.Context, id string) error {
	err := s.inTx(ctx, func(tx *db.Tx) error {
		var payload string
		var processed sql.NullTime
		err := tx.QueryRowContext(ctx, "SELECT payload, processed_at FROM giving_events WHERE id = ?", id).Scan(&payload, &processed)
		if err != nil {
			if errs.CodeOf(db.Translate(err, "giving.event.unknown", "")) == errs.CodeNotFound {
				return nil
			}
			return fmt.Errorf("giving: read event: %w", err)
		}
		if processed.Valid {
			return nil
		}
		var ev stripe.Event
		if err := json.Unmarshal([]byte(payload), &ev); err != nil || ev.Data == nil {
			return fmt.Errorf("giving: stored event %s unreadable: %v", id, err)
		}
		if err := s.applyEvent(ctx, tx, ev); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE giving_events SET processed_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?", tx.Now, id)
		return err
	})
	if err != nil && ctx.Err() == nil {
		if _, uerr := s.db.ExecContext(ctx, "UPDATE giving_events SET attempts = attempts + 1, last_error = ? WHERE id = ?", safeError(err), id); uerr != nil {
			s.log.Warn("giving: event attempt not noted", "event", id, "err", uerr)
		}
		s.log.Warn("giving: stripe event retry failed", "event", id, "err", err)
	}
	return err
}
