package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"solidarity/internal/db"
	"solidarity/internal/jobs"
)

// outcome is what became of one attempt to hand a message to its provider.
type outcome int

const (
	outcomeSent    outcome = iota // the provider took the message
	outcomeRetry                  // the provider certainly did not take it; try again
	outcomeRefused                // the provider refused this message for good
	outcomeUnknown                // the message may or may not have left
)

// result is one attempt's outcome. code is a short, fixed description ("smtp rcpt 550",
// "sms http 500") safe for logs and the job table; detail is the provider's own words,
// which may name the recipient, and goes only to the delivery row.
type result struct {
	outcome    outcome
	providerID string
	code       string
	detail     string
}

func retry(step string, err error) result {
	return result{outcome: outcomeRetry, code: step, detail: step + ": " + err.Error()}
}

func unknown(step string, err error) result {
	return result{outcome: outcomeUnknown, code: step, detail: step + ": " + err.Error()}
}

// maxDetail bounds the error text kept on a delivery.
const maxDetail = 500

// sender is the job worker that moves a delivery through its states.
type sender struct {
	jobs.WorkerDefaults[sendArgs]
	s *Service
}

// Timeout leaves room for waiting on the SMS rate and one full provider conversation.
func (w *sender) Timeout(*jobs.Job[sendArgs]) time.Duration { return 3 * time.Minute }

// NextRetry keeps River's backoff unless the service was given its own.
func (w *sender) NextRetry(job *jobs.Job[sendArgs]) time.Time {
	if w.s.retryDelay == nil {
		return time.Time{}
	}
	return time.Now().Add(w.s.retryDelay(job.Attempt))
}

// Work sends one delivery at most once. It first moves the delivery from queued to
// sending in a committed transaction of its own, then calls the provider, then records
// the result. A delivery found still in sending was being sent when its node died (or
// lost the database): whether it left is unknown, so it becomes uncertain and is not sent
// again — an alert must never reach someone twice. Deliveries in a final status are left
// alone, so running the same job twice sends nothing more.
func (w *sender) Work(ctx context.Context, job *jobs.Job[sendArgs]) error {
	s, id := w.s, job.Args.Delivery
	if job.Args.Channel == ChannelSMS && s.sms != nil {
		if err := s.limiter.Wait(ctx); err != nil {
			return fmt.Errorf("notify: delivery %d: waiting for the SMS rate: %w", id, err)
		}
	}
	d, ok, err := s.claim(ctx, id)
	if err != nil || !ok {
		return err
	}
	var res result
	switch d.channel {
	case ChannelEmail:
		res = s.sendEmail(ctx, d)
	case ChannelSMS:
		res = s.sms.send(ctx, d.to, d.text)
	default:
		res = result{outcome: outcomeRefused, code: "unknown channel", detail: "unknown channel " + string(d.channel)}
	}
	return s.finish(ctx, id, d.channel, res, job.Attempt >= job.MaxAttempts)
}

// claim moves the delivery from queued to sending and returns it; ok is false when there
// is nothing to send.
func (s *Service) claim(ctx context.Context, id int64) (d delivery, ok bool, err error) {
	var became Status
	var ch Channel
	var sealedFields []byte
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		became = ""
		err := tx.QueryRowContext(ctx, "SELECT channel FROM deliveries WHERE id = ?", id).Scan(&ch)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // purged before it was sent
		}
		if err != nil {
			return err
		}
		if (ch == ChannelEmail && s.mail == nil) || (ch == ChannelSMS && s.sms == nil) {
			// Queued while a provider was configured, and the node now runs without one.
			return moveAs(ctx, tx, &became, id, StatusQueued, StatusOutbox, "error = ?", "no provider configured when it was due")
		}
		if err := moveAs(ctx, tx, &became, id, StatusQueued, StatusSending, "attempts = attempts + 1"); err != nil || became != "" {
			if err == nil {
				err = tx.QueryRowContext(ctx, "SELECT channel, recipient, subject, body_text, body_html, purpose, sealed_fields FROM deliveries WHERE id = ?", id).
					Scan(&d.channel, &d.to, &d.subject, &d.text, &d.html, &d.purpose, &sealedFields)
				if err == nil && sealedFields != nil {
					err = s.unseal(id, sealedFields, &d)
				}
			}
			return err
		}
		return moveAs(ctx, tx, &became, id, StatusSending, StatusUncertain, "error = ?",
			"an earlier attempt stopped while sending; not sent again in case it arrived")
	})
	if err != nil {
		return delivery{}, false, fmt.Errorf("notify: delivery %d: claim: %w", id, err)
	}
	switch became {
	case StatusSending:
		return d, true, nil
	case StatusOutbox:
		s.log.Warn("notify: delivery moved to the outbox: no provider configured", "delivery", id, "channel", ch)
	case StatusUncertain:
		s.log.Warn("notify: delivery uncertain: an earlier attempt stopped mid-send; not sending again", "delivery", id, "channel", ch)
	}
	if became != "" {
		s.observe(ch, became)
	}
	return delivery{}, false, nil
}

// finish records the result of a send. It runs even when the job's context has ended, so
// that a message that left is recorded as sent.
func (s *Service) finish(ctx context.Context, id int64, ch Channel, res result, last bool) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	detail := cleanDetail(res.detail)
	var to Status
	var from []Status
	switch {
	case res.outcome == outcomeSent:
		// Also from uncertain: a job that overlapped this one may have given up on it.
		to, from = StatusSent, []Status{StatusSending, StatusUncertain}
	case res.outcome == outcomeUnknown:
		to, from = StatusUncertain, []Status{StatusSending}
	case res.outcome == outcomeRefused || last:
		to, from = StatusFailed, []Status{StatusSending}
	default:
		to, from = StatusQueued, []Status{StatusSending}
	}
	moved := false
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, f := range from {
			n, err := move(ctx, tx, id, f, to, "error = ?, provider_id = ?", detail, res.providerID)
			if err != nil || n == 1 {
				moved = n == 1
				return err
			}
		}
		return nil
	})
	if err != nil {
		// The delivery stays in sending; the retry will call it uncertain, not resend it.
		return fmt.Errorf("notify: delivery %d (%s): record %s: %w", id, ch, to, err)
	}
	if !moved {
		// Purged, or given up on by an overlapping run of the job: nothing left to do.
		s.log.Warn("notify: delivery changed while it was being sent; result not recorded", "delivery", id, "channel", ch, "result", string(to))
		return nil
	}
	if to.Final() {
		s.observe(ch, to)
	}
	switch to {
	case StatusSent:
		s.log.Info("notify: sent", "delivery", id, "channel", ch)
		return nil
	case StatusUncertain:
		s.log.Warn("notify: delivery uncertain: the provider may have taken it; not sending again", "delivery", id, "channel", ch, "reason", res.code)
		return nil
	case StatusFailed:
		s.log.Warn("notify: delivery failed", "delivery", id, "channel", ch, "reason", res.code)
		err := fmt.Errorf("notify: delivery %d (%s) failed: %s", id, ch, res.code)
		if res.outcome == outcomeRefused {
			return river.JobCancel(err)
		}
		return err
	default:
		s.log.Info("notify: send failed, will retry", "delivery", id, "channel", ch, "reason", res.code)
		// The job's error names no recipient: River keeps it in its own table.
		return fmt.Errorf("notify: delivery %d (%s): %s", id, ch, res.code)
	}
}

// cleanDetail makes a provider's error text safe to store: valid UTF-8 without NULs
// (PostgreSQL refuses both), cut to maxDetail bytes on a character boundary.
func cleanDetail(s string) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "?")
	if len(s) <= maxDetail {
		return s
	}
	cut := maxDetail
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// move sets a delivery's status to `to` if it is still in `from`, with the assignments in
// set (fixed SQL, ? for args); it returns how many rows changed, 0 or 1.
func move(ctx context.Context, tx *db.Tx, id int64, from, to Status, set string, args ...any) (int64, error) {
	args = append([]any{string(to), tx.Now}, args...)
	res, err := tx.ExecContext(ctx, "UPDATE deliveries SET status = ?, updated_at = ?, "+set+" WHERE id = ? AND status = ?",
		append(args, id, string(from))...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// moveAs is move that notes in became the status the delivery took, if it moved.
func moveAs(ctx context.Context, tx *db.Tx, became *Status, id int64, from, to Status, set string, args ...any) error {
	n, err := move(ctx, tx, id, from, to, set, args...)
	if err == nil && n == 1 {
		*became = to
	}
	return err
}

// sendEmail composes the message at send time (its Date is when it leaves) and hands it
// to the SMTP server; the Message-ID becomes the delivery's provider id.
func (s *Service) sendEmail(ctx context.Context, d delivery) result {
	id := newMessageID(s.mail.from)
	msg, err := compose(s.mail.from, d.to, d.subject, d.text, d.html, s.db.Now(), id)
	if err != nil {
		return result{outcome: outcomeRefused, code: "compose", detail: err.Error()}
	}
	res := s.mail.send(ctx, d.to, msg)
	if res.outcome == outcomeSent {
		res.providerID = id
	}
	return res
}
