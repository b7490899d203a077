package response

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
)

// floodLock is the PostgreSQL advisory lock that makes public reports look for their
// flood parent one at a time, so that a burst across nodes still makes one board entry.
// Only intake takes it, and before the audit log's lock, so it cannot deadlock with it.
const floodLock = 7_402_211_917

// lockFlood serializes flood detection for the rest of tx (on SQLite the single writer
// already does).
func lockFlood(ctx context.Context, tx *db.Tx) error {
	if tx.Dialect() != db.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", int64(floodLock)); err != nil {
		return fmt.Errorf("response: flood lock: %w", err)
	}
	return nil
}

// floodParent returns the report a new public report of kind in zip is grouped into: the
// newest report on the board of the same kind and ZIP code filed within FloodWindow, or 0
// when there is none. Many neighbours reporting one raid (or a robot flooding the page)
// then make one board entry with a count instead of a wall of entries.
func floodParent(ctx context.Context, tx *db.Tx, kind Kind, zip string, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM response_reports
		WHERE zip = ? AND kind = ? AND created_at >= ? AND merged_into IS NULL AND state <> 'closed'
		ORDER BY created_at DESC, id DESC LIMIT 1`, zip, string(kind), now.Add(-FloodWindow)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("response: flood check: %w", err)
	}
	return id, nil
}

// group counts report child, already pointing at parent, on parent and notes it in both
// histories.
func (s *Service) group(ctx context.Context, tx *db.Tx, actor auth.Actor, parent, child int64) error {
	if _, err := tx.ExecContext(ctx, "UPDATE response_reports SET grouped = grouped + 1, updated_at = ? WHERE id = ?", tx.Now, parent); err != nil {
		return fmt.Errorf("response: group report: %w", err)
	}
	if err := addHistory(ctx, tx, parent, actor, historyGrouped, "", "", refDetail(child)); err != nil {
		return err
	}
	return addHistory(ctx, tx, child, actor, historyGroupedInto, "", "", refDetail(parent))
}
