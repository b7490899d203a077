package response

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// Leave ends the subscription a leave link belongs to: the row, its contact and its ZIP
// codes are deleted (alerts already queued for it are skipped), and the result is the
// language it used, for the page that says so. An unknown or used link is
// errs.NotFound("alerts.link.invalid").
func (s *Service) Leave(ctx context.Context, token string) (string, error) {
	invalid := errs.NotFound("alerts.link.invalid")
	if !subscriberTokenWellFormed(token) {
		return "", invalid
	}
	var lang string
	err := s.inTx(ctx, func(tx *db.Tx) error {
		var id int64
		var ch AlertChannel
		err := tx.QueryRowContext(ctx, "SELECT id, channel, language FROM response_subscribers WHERE leave_hash = ?",
			subscriberTokenHash(token)).Scan(&id, &ch, &lang)
		if errors.Is(err, sql.ErrNoRows) {
			return invalid
		}
		if err != nil {
			return fmt.Errorf("response: find subscription to leave: %w", err)
		}
		if err := deleteSubscriber(ctx, tx, id); err != nil {
			return err
		}
		return record(ctx, tx, auth.Public(), "response.subscriber.leave", subscriberObject(id), "channel="+string(ch)+" by=link")
	})
	return lang, err
}

// smsLeave ends every alert subscription of phone from (STOP/ALTO), in tx. A number that
// is not subscribed changes nothing. The lookup is by blind index, so the vault must be
// unsealed (errs.Sealed otherwise: the caller's transaction fails and the provider's own
// STOP handling still holds).
func (s *Service) smsLeave(ctx context.Context, tx *db.Tx, from string) error {
	phone, ok := people.NormalizePhone(from, "US")
	if !ok {
		return nil
	}
	index, err := s.vault.BlindIndex(subscriberIndexField, subscriberKey(AlertSMS, phone))
	if err != nil {
		return err
	}
	sub, err := subscriberByIndex(ctx, tx, index)
	if err != nil || sub.ID == 0 {
		return err
	}
	if err := deleteSubscriber(ctx, tx, sub.ID); err != nil {
		return err
	}
	return record(ctx, tx, auth.System("sms"), "response.subscriber.leave", subscriberObject(sub.ID), "channel=sms by=keyword")
}

// deleteSubscriber removes a subscription for good. Recipients of alerts keep their rows
// (the counts stay true) without the link to it; those still queued are skipped.
func deleteSubscriber(ctx context.Context, tx *db.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM response_subscribers WHERE id = ?", id); err != nil {
		return fmt.Errorf("response: delete subscriber: %w", err)
	}
	return nil
}
