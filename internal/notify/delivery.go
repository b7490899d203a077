package notify

import (
	"context"
	"strings"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Channel is how a delivery travels.
type Channel string

// The channels notify sends on.
const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
)

// Key returns the i18n key of the channel's label.
func (c Channel) Key() string { return "notify.channel." + string(c) }

// Status is where a delivery stands. Sent, outbox, failed and uncertain are final: a
// delivery in one of them is never sent again.
type Status string

// The life of a delivery: queued → sending → sent, back to queued after a failure that is
// worth retrying, or failed. Outbox holds messages for a channel with no provider
// configured; they stay there, readable by administrators, and are never sent. Uncertain
// marks a send whose outcome nobody knows (the node stopped, or the provider stopped
// answering, after the message left); it is not sent again, so that an alert never
// reaches someone twice.
const (
	StatusQueued    Status = "queued"
	StatusSending   Status = "sending"
	StatusSent      Status = "sent"
	StatusOutbox    Status = "outbox"
	StatusFailed    Status = "failed"
	StatusUncertain Status = "uncertain"
)

// Final reports whether the delivery will not change again.
func (s Status) Final() bool {
	return s == StatusSent || s == StatusOutbox || s == StatusFailed || s == StatusUncertain
}

// Key returns the i18n key of the status's label.
func (s Status) Key() string { return "notify.status." + string(s) }

// HelpKey returns the i18n key of a sentence that explains the status to administrators.
func (s Status) HelpKey() string { return "notify.status_help." + string(s) }

// Delivery is one row of the delivery log: the message, where it stands and what the
// provider said. It holds a recipient and a body, so only administrators see it, and the
// retention purge deletes it.
type Delivery struct {
	ID         int64
	Channel    Channel
	To         string
	Subject    string // e-mail only
	Text       string // the e-mail's text part, or the SMS body
	HTML       string // e-mail only, may be empty
	Purpose    string
	Status     Status
	Attempts   int    // how many times a send was started
	ProviderID string // the provider's message id (SMS sid, e-mail Message-ID) once sent
	Error      string // the last failure, in the provider's words
	// Sealed marks a sensitive message kept as vault ciphertext; To, Subject, Text and HTML
	// are shown decrypted when the vault is open, and empty when it is sealed.
	Sealed    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Filter narrows the delivery log; empty fields match everything.
type Filter struct {
	Channel Channel
	Status  Status
	Purpose string
}

// Page selects a slice of a list, newest first. Limit 0 means the default (50); more
// than 200 is cut to 200.
type Page struct {
	Offset int
	Limit  int
}

// DeliveryList is one page of the delivery log and how many rows match in all.
type DeliveryList struct {
	Deliveries []Delivery
	Total      int
}

const deliveryColumns = "id, channel, recipient, subject, body_text, body_html, purpose, status, attempts, provider_id, error, sealed_fields, created_at, updated_at"

func (s *Service) scanDelivery(scan func(...any) error) (Delivery, error) {
	var d Delivery
	var sealedFields []byte
	err := scan(&d.ID, &d.Channel, &d.To, &d.Subject, &d.Text, &d.HTML, &d.Purpose, &d.Status,
		&d.Attempts, &d.ProviderID, &d.Error, &sealedFields, &d.CreatedAt, &d.UpdatedAt)
	if err == nil && sealedFields != nil {
		d.Sealed = true
		var m delivery
		if s.unseal(d.ID, sealedFields, &m) == nil { // a sealed vault shows nothing
			d.To, d.Subject, d.Text, d.HTML = m.to, m.subject, m.text, m.html
		}
	}
	return d, err
}

// Delivery returns one delivery by id. Callers check that the actor may read it: it
// holds a recipient and a body.
func (s *Service) Delivery(ctx context.Context, id int64) (Delivery, error) {
	row := s.db.QueryRowContext(ctx, "SELECT "+deliveryColumns+" FROM deliveries WHERE id = ?", id)
	d, err := s.scanDelivery(row.Scan)
	if err != nil {
		return Delivery{}, db.Translate(err, "notify.delivery.not_found", "")
	}
	return d, nil
}

// Deliveries lists the delivery log, newest first, for the administrators' view.
func (s *Service) Deliveries(ctx context.Context, f Filter, p Page) (DeliveryList, error) {
	var where []string
	var args []any
	if f.Channel != "" {
		if f.Channel != ChannelEmail && f.Channel != ChannelSMS {
			return DeliveryList{}, errs.Invalid("channel", "notify.channel.invalid")
		}
		where, args = append(where, "channel = ?"), append(args, string(f.Channel))
	}
	if f.Status != "" {
		if !knownStatus(f.Status) {
			return DeliveryList{}, errs.Invalid("status", "notify.status.invalid")
		}
		where, args = append(where, "status = ?"), append(args, string(f.Status))
	}
	if p := strings.TrimSpace(f.Purpose); p != "" {
		where, args = append(where, "purpose = ?"), append(args, p)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var out DeliveryList
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM deliveries"+cond, args...).Scan(&out.Total); err != nil {
		return DeliveryList{}, errs.Internalf("notify: count deliveries: %w", err)
	}
	limit, offset := pageBounds(p)
	rows, err := s.db.QueryContext(ctx, "SELECT "+deliveryColumns+" FROM deliveries"+cond+
		" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return DeliveryList{}, errs.Internalf("notify: list deliveries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := s.scanDelivery(rows.Scan)
		if err != nil {
			return DeliveryList{}, errs.Internalf("notify: read delivery: %w", err)
		}
		out.Deliveries = append(out.Deliveries, d)
	}
	if err := rows.Err(); err != nil {
		return DeliveryList{}, errs.Internalf("notify: list deliveries: %w", err)
	}
	return out, nil
}

// Outbox lists the messages held in the built-in outbox (no provider configured for
// their channel), newest first.
func (s *Service) Outbox(ctx context.Context, p Page) (DeliveryList, error) {
	return s.Deliveries(ctx, Filter{Status: StatusOutbox}, p)
}

func pageBounds(p Page) (limit, offset int) {
	limit = p.Limit
	switch {
	case limit <= 0:
		limit = 50
	case limit > 200:
		limit = 200
	}
	return limit, max(p.Offset, 0)
}

func knownStatus(s Status) bool {
	switch s {
	case StatusQueued, StatusSending, StatusSent, StatusOutbox, StatusFailed, StatusUncertain:
		return true
	}
	return false
}

// purgeBatch bounds each delete so that a large purge never holds SQLite's single writer
// for long.
const purgeBatch = 500

// Purge deletes every delivery created before olderThan, whatever its status, with its
// recipient and body; it returns how many rows went. The deletion is real. A send job
// that later finds its delivery gone does nothing.
func (s *Service) Purge(ctx context.Context, olderThan time.Time) (int, error) {
	total := 0
	for {
		var n int64
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			res, err := tx.ExecContext(ctx, "DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE created_at < ? ORDER BY id LIMIT ?)", olderThan, purgeBatch)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return total, errs.Internalf("notify: purge deliveries: %w", err)
		}
		total += int(n)
		if n < purgeBatch {
			if total > 0 {
				s.log.Info("notify: purged deliveries", "count", total)
			}
			return total, nil
		}
	}
}
