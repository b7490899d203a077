package response

import (
	"context"
	"fmt"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/jobs"
	"solidarity/internal/retention"
)

// AlertSweepArgs is the periodic job that resumes alerts left unfinished: a node that died
// mid-send, a job that gave up. It queues a send for every alert still sending whose lease
// has run out (or was released); the lease keeps a second run from working at once.
type AlertSweepArgs struct{}

// Kind names the job for River.
func (AlertSweepArgs) Kind() string { return "response.alert_sweep" }

type alertSweeper struct {
	jobs.WorkerDefaults[AlertSweepArgs]
	s *Service
}

// Work queues a run for each stalled alert.
func (w *alertSweeper) Work(ctx context.Context, _ *jobs.Job[AlertSweepArgs]) error {
	_, err := w.s.ResumeAlerts(ctx)
	return err
}

// ResumeAlerts queues a send for every alert still sending that no live run holds, and
// returns how many it queued. The periodic sweep calls it (on start and every minute).
func (s *Service) ResumeAlerts(ctx context.Context) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *db.Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, "SELECT id FROM response_alerts WHERE status = 'sending' AND (lease_until IS NULL OR lease_until < ?)", tx.Now)
		if err != nil {
			return fmt.Errorf("response: find stalled alerts: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.jobs.Enqueue(ctx, tx, AlertSendArgs{Alert: id}, nil); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// openAlerts registers what the alerts need, from New: the encrypted columns, the send and
// sweep jobs, and the retention policies.
func (s *Service) openAlerts() {
	s.vault.RegisterField("response_subscribers", "id", "contact")
	s.vault.RegisterField("response_subscribers", "id", "leave_token")
	jobs.Register(s.jobs, newAlertSender(s))
	jobs.Register(s.jobs, &alertSweeper{s: s})
	s.jobs.Every(alertSweepEvery, AlertSweepArgs{})
	s.retention.Register(retention.Policy{
		Name:        "response.alert_pending_subscribers",
		Description: "alerts.retention.pending",
		Default:     7 * 24 * time.Hour,
		Purge: func(ctx context.Context, tx *db.Tx, cutoff time.Time) (int, error) {
			if _, err := tx.ExecContext(ctx, "DELETE FROM response_subscriber_tokens WHERE expires_at < ?", tx.Now); err != nil {
				return 0, fmt.Errorf("purge expired subscription links: %w", err)
			}
			res, err := tx.ExecContext(ctx, "DELETE FROM response_subscribers WHERE status = 'pending' AND created_at < ?", cutoff)
			if err != nil {
				return 0, fmt.Errorf("purge unconfirmed subscriptions: %w", err)
			}
			n, _ := res.RowsAffected()
			return int(n), nil
		},
	})
	s.retention.Register(retention.Policy{
		Name:        "response.alert_recipients",
		Description: "alerts.retention.recipients",
		Default:     90 * 24 * time.Hour,
		Min:         24 * time.Hour,
		Purge: func(ctx context.Context, tx *db.Tx, cutoff time.Time) (int, error) {
			res, err := tx.ExecContext(ctx, `DELETE FROM response_alert_recipients WHERE alert_id IN (
				SELECT id FROM response_alerts WHERE status = 'done' AND finished_at < ?)`, cutoff)
			if err != nil {
				return 0, fmt.Errorf("purge alert recipients: %w", err)
			}
			n, _ := res.RowsAffected()
			return int(n), nil
		},
	})
}
