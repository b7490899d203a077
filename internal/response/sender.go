package response

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"solidarity/internal/jobs"
	"solidarity/internal/notify"
)

// AlertSendArgs is the job that hands one alert to the providers, recipient by recipient.
// It may run more than once (River's retries, the sweep, a continuation): the alert's lease
// lets one run at a time work, and the recipients' statuses make every run pick up where
// the last one stopped without sending anyone the alert twice.
type AlertSendArgs struct {
	Alert int64 `json:"alert"`
}

// Kind names the job for River.
func (AlertSendArgs) Kind() string { return "response.alert_send" }

// How alerts are sent. Each run claims recipients in batches (one transaction marks a
// batch 'sending' before any of it is handed over), sends them concurrently within the
// SMS rate, and records the answers in batches. A crash can strand at most the claimed
// batches that were not handed over yet (they become uncertain and are not sent): with no
// rate limit about two batches and the messages in flight; under a rate of N a second,
// half a second's worth. Answers not yet recorded at a crash also become uncertain, though
// those messages did leave.
const (
	// alertBatch is how many recipients one transaction claims with no rate limit; under a
	// rate of N a second a batch is a quarter second's worth (N/4), at most alertMaxBatch.
	alertBatch    = 200
	alertMaxBatch = 500
	// alertConcurrency is how many messages are in the providers' hands at once, of which
	// at most alertMailConcurrency e-mails (each is its own SMTP connection, and mail
	// servers limit those).
	alertConcurrency     = 48
	alertMailConcurrency = 8
	// alertMaxPacers is the most pacers a run has. Pacers wait their turn in the SMS rate
	// side by side: each reserves the next slot while the others sleep, so that the rate
	// holds however late a timer fires. Under a rate of N a second a run has N/50 of them
	// (20 ms of slots, at least one); at most that many claimed messages wait for a slot.
	alertMaxPacers = 32
	// alertLease is how long a run holds an alert without renewing it (each claim renews
	// it); a run found past its lease is taken to be dead.
	alertLease = 2 * time.Minute
	// alertRunBudget is how long one run works before it hands over to a fresh job, so that
	// no job outlives River's timeout however slow the provider's rate.
	alertRunBudget = 4 * time.Minute
	// alertMaxAttempts is how many times a recipient is tried when the provider certainly
	// did not take the message (429, 5xx, no connection): tries are 5 s × n² apart, so a
	// provider down for up to about twelve minutes delays the alert without losing anyone.
	alertMaxAttempts = 8
	// alertSweepEvery is how often unfinished alerts with no live run are resumed.
	alertSweepEvery = time.Minute
)

// alertSender is the job worker, one per node: its limiter spaces this node's alert SMS to
// the provider's rate, its direct sender holds the connections.
type alertSender struct {
	jobs.WorkerDefaults[AlertSendArgs]
	s       *Service
	limiter *rate.Limiter
	direct  *notify.Direct
	batch   int
	pacers  int
	// mailSlots holds one token per e-mail being handed over.
	mailSlots chan struct{}
}

// newAlertSender sizes the worker for the configured rate: a batch holds at most a
// quarter-second of sends, so that a crash strands few recipients.
func newAlertSender(s *Service) *alertSender {
	w := &alertSender{s: s, limiter: rate.NewLimiter(rate.Inf, 1), direct: s.notify.Direct(alertConcurrency), batch: alertBatch,
		pacers: alertMaxPacers, mailSlots: make(chan struct{}, alertMailConcurrency)}
	if r := s.cfg.SMSRate; r > 0 && !math.IsInf(r, 1) {
		// A burst of one: the provider never sees more than its rate in any second. The
		// pacers' waits overlap, so a late timer does not slow the send below the rate.
		w.limiter = rate.NewLimiter(rate.Limit(r), 1)
		w.batch = min(alertMaxBatch, max(1, int(r/4)))
		w.pacers = min(alertMaxPacers, max(1, int(r/50)))
	}
	return w
}

// Timeout leaves the run its budget plus the time to drain what is in flight.
func (w *alertSender) Timeout(*jobs.Job[AlertSendArgs]) time.Duration {
	return alertRunBudget + 2*time.Minute
}

// Work sends the alert until every recipient has a final status, the run's budget is
// spent (a fresh job continues), or the node stops.
func (w *alertSender) Work(ctx context.Context, job *jobs.Job[AlertSendArgs]) error {
	return w.run(ctx, job.Args.Alert)
}

// errAlertLeaseLost stops a run whose lease another run has taken over.
var errAlertLeaseLost = errors.New("response: alert lease taken over by another run")

// run is one run of the send: take the lease, then a pipeline of a claimer (batches of
// recipients into work), pacers (work to the senders, each SMS when the rate allows it),
// senders (to the providers, answers into results) and a recorder (results into the
// database). A pacer takes a message only when it can wait for its slot, so that few
// claimed messages wait unsent: a crash strands at most what the claimer holds.
func (w *alertSender) run(ctx context.Context, alertID int64) error {
	owner := subscriberToken()[:22]
	a, ok, err := w.takeLease(ctx, alertID, owner)
	if err != nil || !ok {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	deadline := time.Now().Add(alertRunBudget)

	work := make(chan alertMessage, w.batch)
	paced := make(chan alertMessage)
	results := make(chan alertOutcome, alertConcurrency)
	var claimed struct {
		err     error
		drained bool // nothing was left to claim
	}
	go func() {
		defer close(work)
		for runCtx.Err() == nil && time.Now().Before(deadline) {
			batch, err := w.claim(runCtx, a, owner)
			stopping := runCtx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
			if err != nil && !stopping {
				claimed.err = err
			}
			if err != nil {
				return
			}
			if len(batch) == 0 {
				claimed.drained = true
				return
			}
			for _, m := range batch {
				work <- m
			}
		}
	}()

	var paceErr error
	var paceOnce sync.Once
	var pacers sync.WaitGroup
	for range w.pacers {
		pacers.Add(1)
		go func() {
			defer pacers.Done()
			for m := range work {
				if m.channel == AlertSMS && runCtx.Err() == nil {
					if err := w.limiter.Wait(runCtx); err != nil {
						// The run is stopping (or would be stopped before the next turn):
						// claim no more; what is claimed goes back to the queue.
						paceOnce.Do(func() { paceErr = err })
						stop()
					}
				}
				paced <- m
			}
		}()
	}
	go func() { pacers.Wait(); close(paced) }()

	var senders sync.WaitGroup
	for range alertConcurrency {
		senders.Add(1)
		go func() {
			defer senders.Done()
			for m := range paced {
				results <- w.deliver(runCtx, m)
			}
		}()
	}
	go func() { senders.Wait(); close(results) }()

	recordErr := w.recordAll(ctx, results, stop)
	switch {
	case errors.Is(claimed.err, errAlertLeaseLost):
		w.s.log.Warn("response: alert run stopped: another run holds the alert", "alert", alertID)
		return nil
	case claimed.err != nil || recordErr != nil:
		// Rows the recorder could not move stay in 'sending': the next run, once the lease
		// runs out, calls them uncertain rather than risk a second send.
		return errors.Join(claimed.err, recordErr)
	case ctx.Err() != nil || paceErr != nil:
		w.release(alertID, owner, false)
		return errors.Join(ctx.Err(), paceErr)
	case !claimed.drained:
		w.release(alertID, owner, true) // the budget is spent: a fresh job continues
		return nil
	}
	return w.finish(ctx, a, owner)
}

// deliver hands one message to its provider. A message not yet handed over when the run
// stops is reported as not attempted and goes back to the queue. Once handed over, the
// send runs to its end even if the node is stopping, so that its answer is recorded.
func (w *alertSender) deliver(ctx context.Context, m alertMessage) alertOutcome {
	if ctx.Err() != nil {
		return alertOutcome{id: m.id, notAttempted: true}
	}
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	var res notify.DirectResult
	if m.channel == AlertSMS {
		res = w.direct.SMS(sendCtx, m.sms)
	} else {
		w.mailSlots <- struct{}{}
		res = w.direct.Email(sendCtx, m.email)
		<-w.mailSlots
	}
	out := alertOutcome{id: m.id, attempts: m.attempts, code: res.Code}
	switch res.Outcome {
	case notify.DirectSent:
		out.status = RecipientSent
	case notify.DirectRefused:
		out.status = RecipientFailed
	case notify.DirectUnknown:
		out.status = RecipientUncertain
	default:
		out.retry = true
	}
	return out
}

// recordAll writes results to the database in batches (every batch's worth, or every
// quarter second) until results closes. A failure stops the run (stop) and is returned.
func (w *alertSender) recordAll(ctx context.Context, results <-chan alertOutcome, stop func()) error {
	var pending []alertOutcome
	var failed error
	flush := func() {
		if len(pending) == 0 {
			return
		}
		if err := w.record(ctx, pending); err != nil && failed == nil {
			failed = err
			stop()
		}
		pending = pending[:0]
	}
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case r, ok := <-results:
			if !ok {
				flush()
				return failed
			}
			pending = append(pending, r)
			if len(pending) >= w.batch {
				flush()
			}
		case <-tick.C:
			flush()
		}
	}
}
