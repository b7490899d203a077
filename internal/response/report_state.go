package response

import (
	"context"
	"fmt"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// SetState moves report id to state to (response.dispatch), along the allowed transitions
// (State.Next). Closing needs an outcome; it records the verdict the report had (a false
// alarm starts the shorter retention of its location) and closes the reports grouped or
// merged into it with the same verdict and outcome. Each change is in the report's history
// and the audit log, with who made it and when.
func (s *Service) SetState(ctx context.Context, actor auth.Actor, id int64, to State, outcome Outcome) error {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return err
	}
	if !to.Valid() {
		return errs.Invalid("state", "response.error.state")
	}
	if to == StateClosed && !outcome.Valid() {
		return errs.Invalid("outcome", "response.error.outcome_required")
	}
	if to != StateClosed {
		outcome = ""
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		r, err := loadReport(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.MergedInto != 0 {
			return errs.Conflict("response.error.merged")
		}
		if !r.State.CanMove(to) {
			return errs.Invalid("state", "response.error.state_not_allowed")
		}
		if to == StateClosed {
			// The report and everything grouped into it close together.
			if _, err := tx.ExecContext(ctx, `UPDATE response_reports SET state = 'closed', verdict = ?, outcome = ?, closed_at = ?, updated_at = ?
				WHERE (id = ? OR merged_into = ?) AND state <> 'closed'`, string(r.State), string(outcome), tx.Now, tx.Now, id, id); err != nil {
				return fmt.Errorf("response: close report: %w", err)
			}
		} else if _, err := tx.ExecContext(ctx, "UPDATE response_reports SET state = ?, updated_at = ? WHERE id = ?", string(to), tx.Now, id); err != nil {
			return fmt.Errorf("response: change state: %w", err)
		}
		detail := ""
		if outcome != "" {
			detail = "outcome=" + string(outcome)
		}
		if err := addHistory(ctx, tx, id, actor, historyState, r.State, to, detail); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "response.report.state", reportObject(id), "from="+string(r.State)+" to="+string(to)+" "+detail); err != nil {
			return err
		}
		return s.boardChanged(ctx, tx, id)
	})
}
