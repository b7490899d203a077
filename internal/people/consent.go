package people

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
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

// ConsentClaim is a consent status an API client states on one of a person's addresses
// (OSDI's email_addresses[].status and phone_numbers[].status).
type ConsentClaim struct {
	Channel Channel
	// Address is the e-mail address or phone number the status was stated on.
	Address string
	// Status is ConsentGranted (OSDI "subscribed") or ConsentRevoked ("unsubscribed").
	Status ConsentStatus
}

// UpsertWithConsent is Upsert for the JSON API, with the consent statuses the client
// stated, in one transaction. Consent is recorded with method "api" and only from what
// the client stated: no status, no consent.
//
// A grant is the partner's attestation that the person subscribed with them, as Action
// Network treats an API "subscribed": it is recorded as granted at once, without a
// confirmation mail from the network, and without confirmed_at (the network saw no
// double opt-in; the method "api" says where it came from). It never overrides a
// revocation made another way (the person's unsubscribe link or STOP keyword, their own
// page, staff, an import): only the API may undo what the API revoked. A revocation
// always applies. When several addresses of a channel carry statuses, a revocation wins.
// A status on an address that does not end up on the person (it belongs to someone else)
// says nothing about this person and is ignored.
func (s *Service) UpsertWithConsent(ctx context.Context, actor auth.Actor, in PersonInput, claims []ConsentClaim) (UpsertResult, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return UpsertResult{}, err
	}
	claims = slices.Clone(claims)
	for i, c := range claims {
		if !c.Channel.valid() {
			return UpsertResult{}, errs.Invalid("channel", "people.consent.channel_invalid")
		}
		if c.Status != ConsentGranted && c.Status != ConsentRevoked {
			return UpsertResult{}, errs.Invalid("status", "people.consent.status_invalid")
		}
		norm, ok := NormalizeEmail(c.Address)
		if c.Channel == ChannelSMS {
			norm, ok = NormalizePhone(c.Address, s.cfg.DefaultRegion)
		}
		if ok {
			claims[i].Address = norm
		}
	}
	fields, err := s.prepare(ctx, s.db, &in, false)
	if err != nil {
		return UpsertResult{}, err
	}
	if len(in.Emails) == 0 && len(in.Phones) == 0 {
		return UpsertResult{}, errs.Invalid("emails", "people.email.required")
	}
	var res UpsertResult
	err = s.inTx(ctx, func(tx *db.Tx) error {
		var err error
		if res, err = s.upsert(ctx, tx, in, fields, viaFor(actor), false); err != nil {
			return err
		}
		changed, err := s.applyClaims(ctx, tx, actor, res.ID, claims)
		if err != nil || !changed || res.Changed {
			return err
		}
		res.Changed = true
		_, err = tx.ExecContext(ctx, "UPDATE people SET updated_at = ? WHERE id = ?", tx.Now, res.ID)
		return err
	})
	return res, err
}

// applyClaims records the consent the claims state for the person (see UpsertWithConsent)
// and reports whether any changed; each change is audited without any address.
func (s *Service) applyClaims(ctx context.Context, tx *db.Tx, actor auth.Actor, id int64, claims []ConsentClaim) (bool, error) {
	want := map[Channel]ConsentStatus{}
	for _, c := range claims {
		table, col := "person_emails", "email"
		if c.Channel == ChannelSMS {
			table, col = "person_phones", "phone"
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+" WHERE person_id = ? AND "+col+" = ?", id, c.Address).Scan(&n); err != nil {
			return false, fmt.Errorf("people: consent claim: %w", err)
		}
		if n > 0 && want[c.Channel] != ConsentRevoked {
			want[c.Channel] = c.Status
		}
	}
	changed := false
	for _, ch := range Channels() {
		st := want[ch]
		if st == "" {
			continue
		}
		cur, err := currentConsent(ctx, tx, id, ch)
		if err != nil {
			return false, err
		}
		if cur.Status == st || st == ConsentGranted && cur.Status == ConsentRevoked && cur.Method != MethodAPI {
			continue
		}
		if err := s.RecordConsent(ctx, tx, id, ch, st, MethodAPI); err != nil {
			return false, err
		}
		if err := record(ctx, tx, actor, "people.consent", personObject(id), string(ch)+"="+string(st)); err != nil {
			return false, err
		}
		changed = true
	}
	return changed, nil
}
