package giving

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/stripe/stripe-go/v82"

	"solidarity/internal/db"
)

// Stripe events that arrive together are written together: one transaction holds several
// deliveries, each applied under its own savepoint, and each delivery is answered once
// that transaction has committed. On SQLite, with its one writer and a
// durable (synchronous=FULL) commit, the commit and its fsync are most of the cost of an
// event, so sharing them is what lets webhook handling keep up with Stripe's bursts (the
// benchmark in bench_test.go). Nothing about exactly-once changes: each event is still
// stored and applied in one transaction, and a delivery is answered 200 only after it.
//
// There is no background goroutine: the first delivery to find nobody writing becomes
// the writer. It writes batches until its own event is in one, then hands the writing to
// the oldest delivery still waiting, so that no request waits for more than the batches
// ahead of it.

// batchMax bounds how many events one transaction holds.
const batchMax = 64

// batchTimeout bounds one batch's transaction. Waiting deliveries are not cancelled with
// their requests: they wait for the writer, which this bounds.
const batchTimeout = 30 * time.Second

// errLead tells a waiting delivery that it is now the writer.
var errLead = errors.New("giving: lead the next batch")

// pendingEvent is one verified delivery waiting to be written.
type pendingEvent struct {
	ev      stripe.Event
	payload []byte
	done    chan error // capacity 1: its result, or errLead
}

// eventQueue holds the deliveries waiting for the writer.
type eventQueue struct {
	mu      sync.Mutex
	pending []*pendingEvent
	writing bool
}

// store queues pe and returns once it is committed (or failed).
func (q *eventQueue) store(s *Service, pe *pendingEvent) error {
	q.mu.Lock()
	q.pending = append(q.pending, pe)
	lead := !q.writing
	q.writing = true
	q.mu.Unlock()
	if !lead {
		if err := <-pe.done; err != errLead {
			return err
		}
	}
	for written := false; !written; {
		q.mu.Lock()
		n := min(len(q.pending), batchMax)
		batch := append([]*pendingEvent(nil), q.pending[:n]...)
		q.pending = q.pending[n:]
		q.mu.Unlock()
		for _, b := range batch {
			written = written || b == pe
		}
		s.writeEvents(batch)
	}
	q.mu.Lock()
	if len(q.pending) == 0 {
		q.writing = false
	} else {
		q.pending[0].done <- errLead
	}
	q.mu.Unlock()
	return <-pe.done
}

// writeEvents stores and applies a batch in one transaction and gives each delivery its
// result. A failure of the transaction itself (or a panic) fails every delivery of the
// batch, which Stripe then delivers again.
func (s *Service) writeEvents(batch []*pendingEvent) {
	results := make([]error, len(batch))
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("giving: panic writing stripe events: %v", p)
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
		defer cancel()
		return s.db.InTx(ctx, func(tx *db.Tx) error {
			for i, pe := range batch {
				results[i] = s.storeEvent(ctx, tx, pe.ev, pe.payload)
				if ctx.Err() != nil {
					return ctx.Err()
				}
			}
			return nil
		})
	}()
	for i, pe := range batch {
		if err != nil {
			results[i] = err
		}
		pe.done <- coded(results[i])
	}
}
