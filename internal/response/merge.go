package response

import (
	"context"
	"fmt"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Merge merges report from, a duplicate, into report into (response.dispatch): from
// leaves the board and points at into, the reports grouped into from move to into, and
// into counts them all. Both keep their own history, thread and checklist, each noting
// the merge. A reporter who texts again reaches into's thread.
func (s *Service) Merge(ctx context.Context, actor auth.Actor, from, into int64) error {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return err
	}
	if into <= 0 {
		return errs.Invalid("into", "response.error.merge_into_required")
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		src, err := loadReport(ctx, tx, from)
		if err != nil {
			return err
		}
		dst, err := loadReport(ctx, tx, into)
		if err != nil {
			if errs.CodeOf(err) == errs.CodeNotFound {
				return errs.Invalid("into", "response.error.merge_into_not_found")
			}
			return err
		}
		if dst.MergedInto != 0 { // merge into what the duplicate's twin was merged into
			if dst, err = loadReport(ctx, tx, dst.MergedInto); err != nil {
				return err
			}
		}
		switch {
		case dst.ID == src.ID:
			return errs.Invalid("into", "response.error.merge_self")
		case src.MergedInto != 0:
			return errs.Conflict("response.error.merged")
		case !src.State.Open() || !dst.State.Open():
			return errs.Invalid("into", "response.error.merge_closed")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE response_reports SET merged_into = ?, updated_at = ? WHERE merged_into = ?`,
			dst.ID, tx.Now, src.ID); err != nil {
			return fmt.Errorf("response: merge: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE response_reports SET merged_into = ?, merge_kind = ?, grouped = 0, updated_at = ? WHERE id = ?`,
			dst.ID, MergeDuplicate, tx.Now, src.ID); err != nil {
			return fmt.Errorf("response: merge: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE response_reports SET grouped = grouped + ?, updated_at = ? WHERE id = ?`,
			src.Grouped+1, tx.Now, dst.ID); err != nil {
			return fmt.Errorf("response: merge: %w", err)
		}
		if err := addHistory(ctx, tx, dst.ID, actor, historyMerged, "", "", refDetail(src.ID)); err != nil {
			return err
		}
		if err := addHistory(ctx, tx, src.ID, actor, historyMergedInto, "", "", refDetail(dst.ID)); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "response.report.merge", reportObject(src.ID), "into="+reportObject(dst.ID)); err != nil {
			return err
		}
		if err := s.boardChanged(ctx, tx, src.ID); err != nil {
			return err
		}
		return s.boardChanged(ctx, tx, dst.ID)
	})
}
