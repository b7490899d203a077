package auth

import (
	"context"
	"fmt"
	"time"

	"solidarity/internal/db"
)

// invitationGrace keeps an expired invitation a week, so that its link says "expired"
// rather than "invalid"; then it is deleted, e-mail address and all.
const invitationGrace = 7 * 24 * time.Hour

// PurgeExpired deletes what has run out: ended sessions, stale passkey ceremonies and
// unconfirmed authenticator enrolments, expired reset links and (after a week's grace)
// invitations. Deletion is real; a periodic job calls this. It returns how many rows went.
func (s *Service) PurgeExpired(ctx context.Context) (int64, error) {
	var total int64
	err := s.inTx(ctx, func(tx *db.Tx) error {
		now := tx.Now
		steps := []struct {
			query string
			args  []any
		}{
			{"DELETE FROM sessions WHERE expires_at <= ?", []any{now}},
			{"DELETE FROM passkey_ceremonies WHERE expires_at <= ?", []any{now}},
			{"DELETE FROM password_resets WHERE expires_at <= ?", []any{now}},
			{"DELETE FROM invitations WHERE expires_at <= ?", []any{now.Add(-invitationGrace)}},
			{"UPDATE accounts SET totp_pending = '', totp_pending_at = NULL WHERE totp_pending_at <= ?", []any{now.Add(-totpConfirm)}},
		}
		// Idle sessions, one statement per idle length so that the SQL stays portable.
		for _, idle := range []time.Duration{SensitiveIdle, StandardIdle, PendingIdle} {
			steps = append(steps, struct {
				query string
				args  []any
			}{"DELETE FROM sessions WHERE idle_seconds = ? AND last_seen_at < ?", []any{int64(idle / time.Second), now.Add(-idle)}})
		}
		for _, st := range steps {
			res, err := tx.ExecContext(ctx, st.query, st.args...)
			if err != nil {
				return fmt.Errorf("auth: purge: %w", err)
			}
			if n, err := res.RowsAffected(); err == nil {
				total += n
			}
		}
		return nil
	})
	return total, err
}
