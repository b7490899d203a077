package response

import (
	"context"
	"fmt"

	"solidarity/internal/db"
)

// AnswerOutcome is what a responder's answer to a request led to.
type AnswerOutcome string

// The outcomes of an answer.
const (
	// AnswerAssigned: the responder goes (or was already going).
	AnswerAssigned AnswerOutcome = "assigned"
	// AnswerNotNeeded: enough responders accepted first; nobody else needs to go.
	AnswerNotNeeded AnswerOutcome = "not_needed"
	// AnswerDeclined: the responder cannot go.
	AnswerDeclined AnswerOutcome = "declined"
)

// Ways an answer can arrive.
const (
	viaSMS  = "sms"
	viaLink = "link"
)

// answer applies a responder's yes or no to their request, in tx. The first accepts, up to
// the number the dispatcher needs, are assigned; when the need is filled, everyone still
// pending is stood down and told so, and anyone who accepts after that is told they are
// not needed. Answering again changes nothing (a provider retry, a double tap). A
// responder who declined may still accept while places are left.
func (s *Service) answer(ctx context.Context, tx *db.Tx, req dispatchRequest, accept bool, via string) (AnswerOutcome, error) {
	// Answers to one dispatch take turns: this update holds the dispatch's row lock until
	// the transaction ends on PostgreSQL (SQLite has one writer at a time anyway), so two
	// responders accepting at once cannot both take the last place.
	if _, err := tx.ExecContext(ctx, "UPDATE response_dispatches SET updated_at = ? WHERE id = ?", tx.Now, req.DispatchID); err != nil {
		return "", fmt.Errorf("response: lock dispatch: %w", err)
	}
	cur, err := dispatchRequestByID(ctx, tx, req.ID)
	if err != nil {
		return "", err
	}
	actor := responderObject(cur.ResponderID)
	object := dispatchReportObject(cur.ReportID)
	detail := fmt.Sprintf("dispatch=%d via=%s", cur.DispatchID, via)
	switch {
	case cur.State == RequestAssigned:
		return AnswerAssigned, nil
	case cur.State == RequestNotNeeded:
		if accept && cur.AnsweredAt == nil {
			if err := dispatchMarkAnswered(ctx, tx, cur.ID, RequestNotNeeded, via); err != nil {
				return "", err
			}
			if err := dispatchAudit(ctx, tx, actor, "", "response.dispatch.accept_late", object, detail); err != nil {
				return "", err
			}
			return AnswerNotNeeded, s.boardChanged(ctx, tx, cur.ReportID)
		}
		return AnswerNotNeeded, nil
	case cur.State == RequestDeclined && !accept:
		return AnswerDeclined, nil
	case !accept:
		if err := dispatchMarkAnswered(ctx, tx, cur.ID, RequestDeclined, via); err != nil {
			return "", err
		}
		if err := dispatchAudit(ctx, tx, actor, "", "response.dispatch.decline", object, detail); err != nil {
			return "", err
		}
		return AnswerDeclined, s.boardChanged(ctx, tx, cur.ReportID)
	}
	var needed, assigned int
	if err := tx.QueryRowContext(ctx, "SELECT needed, assigned FROM response_dispatches WHERE id = ?", cur.DispatchID).Scan(&needed, &assigned); err != nil {
		return "", fmt.Errorf("response: read dispatch: %w", err)
	}
	if assigned >= needed {
		if err := dispatchMarkAnswered(ctx, tx, cur.ID, RequestNotNeeded, via); err != nil {
			return "", err
		}
		if err := dispatchAudit(ctx, tx, actor, "", "response.dispatch.accept_late", object, detail); err != nil {
			return "", err
		}
		return AnswerNotNeeded, s.boardChanged(ctx, tx, cur.ReportID)
	}
	if err := dispatchMarkAnswered(ctx, tx, cur.ID, RequestAssigned, via); err != nil {
		return "", err
	}
	assigned++
	if _, err := tx.ExecContext(ctx, "UPDATE response_dispatches SET assigned = ? WHERE id = ?", assigned, cur.DispatchID); err != nil {
		return "", fmt.Errorf("response: count assigned: %w", err)
	}
	if err := dispatchAudit(ctx, tx, actor, "", "response.dispatch.accept", object, detail); err != nil {
		return "", err
	}
	if assigned == needed {
		if err := s.standDown(ctx, tx, cur.DispatchID, cur.ReportID); err != nil {
			return "", err
		}
	}
	return AnswerAssigned, s.boardChanged(ctx, tx, cur.ReportID)
}

// dispatchMarkAnswered records the answer of a request.
func dispatchMarkAnswered(ctx context.Context, tx *db.Tx, id int64, state RequestState, via string) error {
	if _, err := tx.ExecContext(ctx, "UPDATE response_dispatch_requests SET state = ?, answered_at = ?, answered_via = ? WHERE id = ?",
		string(state), tx.Now, via, id); err != nil {
		return fmt.Errorf("response: answer request: %w", err)
	}
	return nil
}

// standDown marks a dispatch filled and tells every responder still pending (whose link
// still works) that nobody else needs to go.
func (s *Service) standDown(ctx context.Context, tx *db.Tx, dispatchID, reportID int64) error {
	if _, err := tx.ExecContext(ctx, "UPDATE response_dispatches SET filled_at = ? WHERE id = ?", tx.Now, dispatchID); err != nil {
		return fmt.Errorf("response: fill dispatch: %w", err)
	}
	var pending []dispatchRequest
	if err := responderEach(ctx, tx, "SELECT "+dispatchRequestColumns+" FROM response_dispatch_requests WHERE dispatch_id = ? AND state = 'pending' ORDER BY id",
		[]any{dispatchID}, func(scan func(...any) error) error {
			q, err := dispatchRequestScan(scan)
			pending = append(pending, q)
			return err
		}); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE response_dispatch_requests SET state = 'not_needed' WHERE dispatch_id = ? AND state = 'pending'", dispatchID); err != nil {
		return fmt.Errorf("response: stand down: %w", err)
	}
	r, err := loadReport(ctx, tx, reportID)
	if err != nil {
		return err
	}
	told := 0
	for _, q := range pending {
		if q.ResponderID == 0 || !q.ExpiresAt.After(tx.Now) {
			continue
		}
		c, err := dispatchContactOf(ctx, tx, q.ResponderID)
		if err != nil {
			return err
		}
		ch, ok := c.channelFor(q.Channel)
		if !ok {
			continue
		}
		msg := s.dispatchTexts(q.Language, ch, "covered", s.dispatchMessageData(q.Language, r, ""))
		if err := s.dispatchSend(ctx, tx, c, ch, msg); err != nil {
			return err
		}
		told++
	}
	return dispatchAudit(ctx, tx, "system", "dispatch", "response.dispatch.filled", dispatchObject(dispatchID),
		fmt.Sprintf("report=%d stood_down=%d", reportID, told))
}
