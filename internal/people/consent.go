package people

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Channel is a way of reaching a person that needs their consent.
type Channel string

// The channels.
const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
)

// Channels lists every channel.
func Channels() []Channel { return []Channel{ChannelEmail, ChannelSMS} }

func (c Channel) valid() bool { return c == ChannelEmail || c == ChannelSMS }

// ConsentStatus is where a person stands on one channel. No recorded status means no
// consent.
type ConsentStatus string

// The statuses. Pending waits for a confirmation (double opt-in) and is not consent yet.
const (
	ConsentPending ConsentStatus = "pending"
	ConsentGranted ConsentStatus = "granted"
	ConsentRevoked ConsentStatus = "revoked"
)

func (s ConsentStatus) valid() bool {
	return s == ConsentPending || s == ConsentGranted || s == ConsentRevoked
}

// ConsentMethod is how a consent decision was made.
type ConsentMethod string

// The methods.
const (
	MethodForm    ConsentMethod = "form"    // a public form (Join, petitions…)
	MethodImport  ConsentMethod = "import"  // a CSV import from another tool
	MethodKeyword ConsentMethod = "keyword" // an SMS keyword (YES, STOP)
	MethodStaff   ConsentMethod = "staff"   // staff recorded it
	MethodAPI     ConsentMethod = "api"     // through the JSON API
	MethodLink    ConsentMethod = "link"    // a confirmation or unsubscribe link
)

func (m ConsentMethod) valid() bool {
	switch m {
	case MethodForm, MethodImport, MethodKeyword, MethodStaff, MethodAPI, MethodLink:
		return true
	}
	return false
}

// Consent is a person's standing on one channel.
type Consent struct {
	Channel Channel
	Status  ConsentStatus // "" when nothing was recorded
	Method  ConsentMethod
	At      time.Time
	// ConfirmedAt is when a double opt-in was confirmed; nil otherwise.
	ConfirmedAt *time.Time
}

// Allows reports whether the channel may be used to reach the person: only a granted
// consent does.
func (c Consent) Allows() bool { return c.Status == ConsentGranted }

func loadConsent(ctx context.Context, q db.Queryer, id int64) ([]Consent, error) {
	var out []Consent
	err := eachRow(ctx, q, "SELECT channel, status, method, at, confirmed_at FROM consents WHERE person_id = ? ORDER BY channel", []any{id},
		func(scan func(...any) error) error {
			var c Consent
			var conf sql.NullTime
			if err := scan(&c.Channel, &c.Status, &c.Method, &c.At, &conf); err != nil {
				return err
			}
			c.ConfirmedAt = nullTime(conf)
			out = append(out, c)
			return nil
		})
	return out, err
}

// writeConsent stores c as the person's consent on its channel.
func writeConsent(ctx context.Context, tx *db.Tx, personID int64, c Consent) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO consents (person_id, channel, status, method, at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (person_id, channel) DO UPDATE SET status = excluded.status, method = excluded.method,
		at = excluded.at, confirmed_at = excluded.confirmed_at`,
		personID, c.Channel, c.Status, c.Method, c.At, c.ConfirmedAt)
	if err != nil {
		return fmt.Errorf("people: write consent: %w", err)
	}
	return nil
}

// RecordConsent records a consent decision of the person on channel inside the caller's
// transaction, with a timeline entry. Messaging calls it for STOP and START keywords and
// unsubscribe links. A grant through a confirmation link or keyword counts as confirmed
// (double opt-in). Nothing changes when the status and method are the same as now.
func (s *Service) RecordConsent(ctx context.Context, tx *db.Tx, personID int64, ch Channel, status ConsentStatus, method ConsentMethod) error {
	if !ch.valid() {
		return errs.Invalid("channel", "people.consent.channel_invalid")
	}
	if !status.valid() || !method.valid() {
		return errs.Invalid("status", "people.consent.status_invalid")
	}
	cur, err := currentConsent(ctx, tx, personID, ch)
	if err != nil {
		return err
	}
	if cur.Status == status && cur.Method == method {
		return nil
	}
	c := Consent{Channel: ch, Status: status, Method: method, At: tx.Now}
	switch {
	case status == ConsentGranted && (method == MethodLink || method == MethodKeyword):
		now := tx.Now
		c.ConfirmedAt = &now
	case status == ConsentGranted && cur.Status == ConsentGranted:
		c.ConfirmedAt = cur.ConfirmedAt
	}
	if err := writeConsent(ctx, tx, personID, c); err != nil {
		return err
	}
	return s.AddEvent(ctx, tx, personID, NewEvent{
		Kind: "consent." + string(status), SummaryKey: "people.timeline.consent_" + string(status),
		Data: map[string]any{"channel": string(ch), "method": string(method)}, Source: "people",
	})
}

// currentConsent returns the person's consent on ch (Status "" when none).
func currentConsent(ctx context.Context, q db.Queryer, personID int64, ch Channel) (Consent, error) {
	c := Consent{Channel: ch}
	var conf sql.NullTime
	err := q.QueryRowContext(ctx, "SELECT status, method, at, confirmed_at FROM consents WHERE person_id = ? AND channel = ?", personID, ch).
		Scan(&c.Status, &c.Method, &c.At, &conf)
	switch {
	case err == sql.ErrNoRows:
		return c, nil
	case err != nil:
		return c, fmt.Errorf("people: read consent: %w", err)
	}
	c.ConfirmedAt = nullTime(conf)
	return c, nil
}

// SetConsent records a consent decision that staff took down (on the phone, on paper).
func (s *Service) SetConsent(ctx context.Context, actor auth.Actor, personID int64, ch Channel, status ConsentStatus) error {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		if err := exists(ctx, tx, personID); err != nil {
			return err
		}
		if err := s.RecordConsent(ctx, tx, personID, ch, status, MethodStaff); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "UPDATE people SET updated_at = ? WHERE id = ?", tx.Now, personID)
		return err
	})
}
