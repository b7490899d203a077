package response

import (
	"context"
	"fmt"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/retention"
)

// openDispatch registers what responders and dispatch keep: the encrypted note of scene
// updates (so that key rotation re-encrypts it) and the retention policies of the notes
// and of the ids of inbound text messages.
func (s *Service) openDispatch() {
	s.vault.RegisterField("response_dispatch_updates", "id", "note")
	s.retention.Register(retention.Policy{
		Name:        "response.scene_notes",
		Description: "response_dispatch.retention.scene_notes",
		Default:     30 * 24 * time.Hour,
		Purge: func(ctx context.Context, tx *db.Tx, cutoff time.Time) (int, error) {
			res, err := tx.ExecContext(ctx, `UPDATE response_dispatch_updates SET note = NULL
				WHERE note IS NOT NULL AND report_id IN (SELECT id FROM response_reports WHERE closed_at IS NOT NULL AND closed_at < ?)`, cutoff)
			if err != nil {
				return 0, fmt.Errorf("response: purge scene notes: %w", err)
			}
			n, _ := res.RowsAffected()
			return int(n), nil
		},
	})
	s.retention.Register(retention.Policy{
		Name:        "response.inbound_sms_ids",
		Description: "response_dispatch.retention.inbound_sms_ids",
		Default:     7 * 24 * time.Hour,
		Min:         24 * time.Hour,
		Purge: func(ctx context.Context, tx *db.Tx, cutoff time.Time) (int, error) {
			res, err := tx.ExecContext(ctx, "DELETE FROM response_inbound_sms WHERE received_at < ?", cutoff)
			if err != nil {
				return 0, fmt.Errorf("response: purge inbound SMS ids: %w", err)
			}
			n, _ := res.RowsAffected()
			return int(n), nil
		},
	})
}
