package auth

import (
	"context"
	"fmt"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// EndOtherSessions signs the actor's account out everywhere except the session it is
// using ("sign out everywhere else" on the account page). It returns how many sessions
// ended; the current one stays.
func (s *Service) EndOtherSessions(ctx context.Context, actor Actor) (int64, error) {
	if actor.Kind != KindAccount || actor.ID == 0 || actor.SessionID == 0 {
		return 0, errs.Unauthenticated()
	}
	var n int64
	err := s.inTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE account_id = ? AND id <> ?", actor.ID, actor.SessionID)
		if err != nil {
			return fmt.Errorf("auth: end other sessions: %w", err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return fmt.Errorf("auth: end other sessions: %w", err)
		}
		return s.record(ctx, tx, actor, "auth.session.end_others", accountObject(actor.ID), fmt.Sprintf("ended=%d", n))
	})
	if err != nil {
		return 0, errs.As(err)
	}
	return n, nil
}
