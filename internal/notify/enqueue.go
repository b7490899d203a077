package notify

import (
	"context"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/jobs"
)

// sendArgs is the job that sends one delivery. It names the delivery only: the recipient
// and body stay in the deliveries table, where the retention purge reaches them.
type sendArgs struct {
	Delivery int64   `json:"delivery"`
	Channel  Channel `json:"channel"`
}

// Kind names the job for River.
func (sendArgs) Kind() string { return "notify.send" }

// Email validates m, records it in the delivery log and, in the same transaction, queues
// the job that sends it; it returns the delivery id. With no SMTP server configured the
// delivery goes straight to the outbox. A nil tx runs in a transaction of its own.
func (s *Service) Email(ctx context.Context, tx *db.Tx, m Email) (int64, error) {
	m.normalize()
	if err := m.Validate(); err != nil {
		return 0, err
	}
	return s.record(ctx, tx, delivery{channel: ChannelEmail, to: m.To, subject: m.Subject,
		text: m.Text, html: m.HTML, purpose: m.Purpose, sealed: m.Sensitive}, s.mail != nil)
}

// SMS validates m, records it in the delivery log and, in the same transaction, queues the
// job that sends it; it returns the delivery id. With no SMS provider configured the
// delivery goes straight to the outbox. A nil tx runs in a transaction of its own.
func (s *Service) SMS(ctx context.Context, tx *db.Tx, m SMS) (int64, error) {
	m.normalize()
	if err := m.Validate(); err != nil {
		return 0, err
	}
	return s.record(ctx, tx, delivery{channel: ChannelSMS, to: m.To, text: m.Body,
		purpose: m.Purpose, sealed: m.Sensitive}, s.sms != nil)
}

// delivery is a message as the worker reads it back.
type delivery struct {
	channel                          Channel
	to, subject, text, html, purpose string
	sealed                           bool // stored as vault ciphertext
}

func (s *Service) record(ctx context.Context, tx *db.Tx, d delivery, configured bool) (int64, error) {
	if tx == nil {
		var id int64
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			var err error
			id, err = s.record(ctx, tx, d, configured)
			return err
		})
		return id, err
	}
	status := StatusQueued
	if !configured {
		status = StatusOutbox
	}
	stored := d
	if d.sealed {
		if s.sealer == nil {
			return 0, errs.Internalf("notify: a sensitive %s delivery needs the vault, and none is set", d.channel)
		}
		stored.to, stored.subject, stored.text, stored.html = "", "", "", "" // filled with ciphertext below
	}
	id, err := tx.Insert(ctx, `INSERT INTO deliveries
		(channel, recipient, subject, body_text, body_html, purpose, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		string(d.channel), stored.to, stored.subject, stored.text, stored.html, d.purpose, string(status), tx.Now, tx.Now)
	if err != nil {
		return 0, errs.Internalf("notify: record %s delivery: %w", d.channel, err)
	}
	if d.sealed {
		if err := s.seal(ctx, tx, id, d); err != nil {
			return 0, err
		}
	}
	if !configured {
		tx.AfterCommit(func() {
			s.log.Info("notify: delivery kept in the outbox (no provider configured)", "delivery", id, "channel", d.channel)
			s.observe(d.channel, StatusOutbox)
		})
		return id, nil
	}
	if err := s.q.Enqueue(ctx, tx, sendArgs{Delivery: id, Channel: d.channel}, &jobs.InsertOpts{MaxAttempts: s.maxAttempts}); err != nil {
		return 0, errs.Internalf("notify: queue delivery %d: %w", id, err)
	}
	return id, nil
}
