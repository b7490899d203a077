package notify

import (
	"context"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// PurgeTx deletes, inside the retention service's transaction, every delivery created
// before cutoff, with its recipient and body. It returns how many rows went.
func (s *Service) PurgeTx(ctx context.Context, tx *db.Tx, cutoff time.Time) (int, error) {
	res, err := tx.ExecContext(ctx, "DELETE FROM deliveries WHERE created_at < ?", cutoff)
	if err != nil {
		return 0, errs.Internalf("notify: purge deliveries: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
