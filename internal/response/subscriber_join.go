package response

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/notify"
)

// subscriberRow is a subscription as the service reads it, without its ciphertext.
type subscriberRow struct {
	ID       int64
	Channel  AlertChannel
	Status   SubscriberStatus
	Language string
}

// Subscribe signs someone up for alerts from the public page, with their consent recorded
// (how: the web form; when: now). The answer is the same whether or not the phone or
// address was subscribed already, and so is what the page shows:
//
//   - E-mail: a new address is stored as pending and gets a confirmation link (double
//     opt-in); an address already known changes nothing yet: the ZIP codes and language
//     asked for ride in the link and apply only when its owner uses it.
//   - SMS: a new number is active at once and gets a confirmation text that says how to
//     stop (STOP/ALTO, or the link in it). A number already subscribed gets the ZIP codes
//     added (never removed, and its language kept), so that a stranger who types it can
//     neither silence its alerts nor switch their language; it gets the same text.
//
// The contact is stored encrypted, with a blind index for dedupe; the vault must be
// unsealed (errs.Sealed otherwise).
func (s *Service) Subscribe(ctx context.Context, req SubscribeRequest) error {
	contact, err := req.normalize()
	if err != nil {
		return err
	}
	index, err := s.vault.BlindIndex(subscriberIndexField, subscriberKey(req.Channel, contact))
	if err != nil {
		return coded(err)
	}
	try := func() error {
		return s.inTx(ctx, func(tx *db.Tx) error { return s.subscribe(ctx, tx, req, contact, index) })
	}
	err = try()
	if db.IsUnique(err) {
		err = try() // the same contact signed up at the same moment on another node
	}
	return err
}

func (s *Service) subscribe(ctx context.Context, tx *db.Tx, req SubscribeRequest, contact, index string) error {
	sub, err := subscriberByIndex(ctx, tx, index)
	if err != nil {
		return err
	}
	leave, existing := "", sub.ID != 0
	if !existing {
		status := SubscriberPending
		if req.Channel == AlertSMS {
			status = SubscriberActive
		}
		sub = subscriberRow{Channel: req.Channel, Status: status, Language: req.Language}
		if sub.ID, leave, err = s.insertSubscriber(ctx, tx, sub, contact, index); err != nil {
			return err
		}
		if status == SubscriberActive {
			if err := addSubscriberZIPs(ctx, tx, sub.ID, req.ZIPs); err != nil {
				return err
			}
		}
	} else if leave, err = s.subscriberLeaveToken(ctx, tx, sub.ID); err != nil {
		return err
	}
	if err := record(ctx, tx, auth.Public(), "response.subscriber.subscribe", subscriberObject(sub.ID), "channel="+string(req.Channel)); err != nil {
		return err
	}
	if req.Channel == AlertEmail {
		token := subscriberToken()
		if _, err := tx.ExecContext(ctx, `INSERT INTO response_subscriber_tokens (token_hash, subscriber_id, zips, language, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, subscriberTokenHash(token), sub.ID, strings.Join(req.ZIPs, ","), req.Language,
			tx.Now, tx.Now.Add(SubscribeConfirmTTL)); err != nil {
			return fmt.Errorf("response: subscription token: %w", err)
		}
		m := s.subscribeLetter(req.Language, req.ZIPs, s.link(SubscribeConfirmPath+token), s.link(LeavePath+leave)).email(contact)
		_, err := s.notify.Email(ctx, tx, m)
		return err
	}
	if existing && sub.Status == SubscriberActive {
		// A number already subscribed keeps its language; its ZIP codes grow.
		if err := addSubscriberZIPs(ctx, tx, sub.ID, req.ZIPs); err != nil {
			return err
		}
	}
	t := s.catalog.Localizer(sub.Language)
	_, err = s.notify.SMS(ctx, tx, notify.SMS{To: contact, Purpose: "response.alerts_subscribed", Sensitive: true,
		Body: t.T("alerts.sms.subscribed", map[string]any{"Site": t.T("site.name"), "Link": s.link(LeavePath + leave)})})
	return err
}

// subscriberByIndex finds the subscription of a contact's blind index; ID is 0 when there
// is none.
func subscriberByIndex(ctx context.Context, q db.Queryer, index string) (subscriberRow, error) {
	var r subscriberRow
	err := q.QueryRowContext(ctx, "SELECT id, channel, status, language FROM response_subscribers WHERE contact_index = ?", index).
		Scan(&r.ID, &r.Channel, &r.Status, &r.Language)
	if errors.Is(err, sql.ErrNoRows) {
		return subscriberRow{}, nil
	}
	if err != nil {
		return subscriberRow{}, fmt.Errorf("response: find subscriber: %w", err)
	}
	return r, nil
}

// insertSubscriber stores a new subscription with its contact and leave link encrypted,
// and returns its id and leave token.
func (s *Service) insertSubscriber(ctx context.Context, tx *db.Tx, sub subscriberRow, contact, index string) (int64, string, error) {
	leave := subscriberToken()
	id, err := tx.Insert(ctx, `INSERT INTO response_subscribers (channel, contact_index, leave_hash, language, status,
		consent_method, consent_at, confirmed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		string(sub.Channel), index, subscriberTokenHash(leave), sub.Language, string(sub.Status), subscriberConsentWebForm,
		tx.Now, nil, tx.Now, tx.Now)
	if err != nil {
		return 0, "", fmt.Errorf("response: insert subscriber: %w", err)
	}
	ct, err := s.vault.EncryptString("response_subscribers", id, "contact", contact)
	if err != nil {
		return 0, "", err
	}
	lt, err := s.vault.EncryptString("response_subscribers", id, "leave_token", leave)
	if err != nil {
		return 0, "", err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE response_subscribers SET contact = ?, leave_token = ? WHERE id = ?", ct, lt, id); err != nil {
		return 0, "", fmt.Errorf("response: store subscriber contact: %w", err)
	}
	return id, leave, nil
}

// subscriberLeaveToken decrypts the leave token of subscriber id.
func (s *Service) subscriberLeaveToken(ctx context.Context, q db.Queryer, id int64) (string, error) {
	var ct []byte
	if err := q.QueryRowContext(ctx, "SELECT leave_token FROM response_subscribers WHERE id = ?", id).Scan(&ct); err != nil {
		return "", fmt.Errorf("response: read leave token: %w", err)
	}
	return s.vault.DecryptString("response_subscribers", id, "leave_token", ct)
}

// addSubscriberZIPs adds ZIP codes to a subscription, up to MaxZIPs in all.
func addSubscriberZIPs(ctx context.Context, tx *db.Tx, id int64, zips []string) error {
	have, err := subscriberZIPs(ctx, tx, id)
	if err != nil {
		return err
	}
	for _, z := range zips {
		if len(have) >= MaxZIPs {
			break
		}
		if slices.Contains(have, z) {
			continue
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO response_subscriber_zips (subscriber_id, zip) VALUES (?, ?)", id, z); err != nil {
			return fmt.Errorf("response: add subscriber zip: %w", err)
		}
		have = append(have, z)
	}
	return nil
}

// subscriberZIPs lists a subscription's ZIP codes.
func subscriberZIPs(ctx context.Context, q db.Queryer, id int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT zip FROM response_subscriber_zips WHERE subscriber_id = ? ORDER BY zip", id)
	if err != nil {
		return nil, fmt.Errorf("response: subscriber zips: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var z string
		if err := rows.Scan(&z); err != nil {
			return nil, err
		}
		out = append(out, z)
	}
	return out, rows.Err()
}

// ConfirmSubscription uses an e-mail confirmation link: the subscription becomes active
// (double opt-in) with the ZIP codes and language its form asked for, and the result is
// the subscriber's language. An unknown, expired or used link is
// errs.NotFound("alerts.link.invalid").
func (s *Service) ConfirmSubscription(ctx context.Context, token string) (string, error) {
	invalid := errs.NotFound("alerts.link.invalid")
	if !subscriberTokenWellFormed(token) {
		return "", invalid
	}
	var lang string
	err := s.inTx(ctx, func(tx *db.Tx) error {
		var id int64
		var zips string
		var expires = tx.Now
		err := tx.QueryRowContext(ctx, "SELECT subscriber_id, zips, language, expires_at FROM response_subscriber_tokens WHERE token_hash = ?",
			subscriberTokenHash(token)).Scan(&id, &zips, &lang, &expires)
		if errors.Is(err, sql.ErrNoRows) || err == nil && !expires.After(tx.Now) {
			return invalid
		}
		if err != nil {
			return fmt.Errorf("response: read subscription token: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM response_subscriber_tokens WHERE token_hash = ?", subscriberTokenHash(token)); err != nil {
			return fmt.Errorf("response: use subscription token: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE response_subscribers SET status = 'active', language = ?,
			confirmed_at = COALESCE(confirmed_at, ?), updated_at = ? WHERE id = ?`, lang, tx.Now, tx.Now, id); err != nil {
			return fmt.Errorf("response: confirm subscriber: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM response_subscriber_zips WHERE subscriber_id = ?", id); err != nil {
			return fmt.Errorf("response: replace subscriber zips: %w", err)
		}
		if err := addSubscriberZIPs(ctx, tx, id, strings.Split(zips, ",")); err != nil {
			return err
		}
		return record(ctx, tx, auth.Public(), "response.subscriber.confirm", subscriberObject(id), "channel=email")
	})
	return lang, err
}

// subscriberObject is how audit entries name a subscription.
func subscriberObject(id int64) string { return fmt.Sprintf("alert_subscriber:%d", id) }
