package giving

import (
	"context"
	"fmt"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/jobs"
)

// How long the card-giving tables keep rows nobody needs any more.
const (
	// checkoutKeep: a Checkout session expires after a day; a month later its row (the
	// name and address a donor typed, perhaps without ever paying) goes.
	checkoutKeep = 30 * 24 * time.Hour
	// invoicePaymentKeep: the link of an invoice to its payment is needed only until both
	// events have arrived.
	invoicePaymentKeep = 60 * 24 * time.Hour
	// eventPayloadKeep: Stripe redelivers for three days and can be asked to resend for
	// thirty; after that a processed event's payload is not needed.
	eventPayloadKeep = 30 * 24 * time.Hour
	// sweepEvery is how often the sweep runs.
	sweepEvery = time.Hour
)

// registerCardJobs registers the card-giving jobs: the retry of Stripe events that failed
// on arrival, and the hourly sweep of what card giving no longer needs.
func (s *Service) registerCardJobs(q *jobs.Queue) {
	jobs.Register(q, &eventWorker{s: s})
	jobs.Register(q, &cardSweepWorker{s: s})
	q.Every(sweepEvery, CardSweepArgs{})
}

// CardSweepArgs is the periodic job that deletes what card giving no longer needs.
type CardSweepArgs struct{}

// Kind names the job.
func (CardSweepArgs) Kind() string { return "giving.card_sweep" }

type cardSweepWorker struct {
	jobs.WorkerDefaults[CardSweepArgs]
	s *Service
}

func (w *cardSweepWorker) Work(ctx context.Context, _ *jobs.Job[CardSweepArgs]) error {
	_, err := w.s.SweepCard(ctx)
	return err
}

// SweepCard deletes checkouts older than a month, invoice-payment links older than two
// months and expired manage tokens, empties the payloads of events processed more than a
// month ago, and returns how many rows it touched.
func (s *Service) SweepCard(ctx context.Context) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *db.Tx) error {
		for _, q := range []struct {
			sql    string
			cutoff time.Time
		}{
			{"DELETE FROM giving_checkouts WHERE created_at < ?", tx.Now.Add(-checkoutKeep)},
			{"DELETE FROM giving_invoice_payments WHERE created_at < ?", tx.Now.Add(-invoicePaymentKeep)},
			{"DELETE FROM giving_manage_tokens WHERE expires_at <= ?", tx.Now},
			// A processed event keeps its id (so that a late redelivery stays a no-op), type
			// and times; its payload, which holds the donor's name and address as Stripe
			// knew them, goes after a month.
			{"UPDATE giving_events SET payload = '' WHERE processed_at IS NOT NULL AND received_at < ? AND payload <> ''", tx.Now.Add(-eventPayloadKeep)},
		} {
			res, err := tx.ExecContext(ctx, q.sql, q.cutoff)
			if err != nil {
				return fmt.Errorf("giving: sweep: %w", err)
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
		return nil
	})
	return n, err
}
