package response

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// DispatchInput is the dispatcher's call-out: whom to ask, and how many are needed (the
// first that many to accept are assigned).
type DispatchInput struct {
	Responders []int64
	// Needed is how many responders to assign; 0 means DefaultNeeded, or fewer when fewer
	// are asked.
	Needed int
}

// DispatchResult says what a dispatch did.
type DispatchResult struct {
	ID     int64
	Asked  int
	Needed int
}

// Dispatch asks responders to go to a report. Each gets a message in their language by
// their preferred channel (the other one when the preferred cannot reach them): the kind
// of report, its area (ZIP code and city, never the address) and a one-tap link bound to
// this request, which expires after DispatchTTL. Every responder must be available now,
// reachable, and not asked already for this report.
func (s *Service) Dispatch(ctx context.Context, actor auth.Actor, reportID int64, in DispatchInput) (DispatchResult, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return DispatchResult{}, err
	}
	var ids []int64
	for _, id := range in.Responders {
		if id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	var l errs.List
	switch {
	case len(ids) == 0:
		l.Add("responders", "response_dispatch.dispatch.none_selected")
	case len(ids) > MaxDispatchResponders:
		l.Add("responders", "response_dispatch.dispatch.too_many")
	}
	needed := in.Needed
	if needed == 0 {
		needed = min(DefaultNeeded, max(len(ids), 1))
	}
	if needed < 1 || len(ids) > 0 && needed > len(ids) {
		l.Add("needed", "response_dispatch.dispatch.needed_invalid")
	}
	if err := l.Err(); err != nil {
		return DispatchResult{}, err
	}
	res := DispatchResult{Asked: len(ids), Needed: needed}
	err := s.inTx(ctx, func(tx *db.Tx) error {
		r, err := loadReport(ctx, tx, reportID)
		if err != nil {
			return err
		}
		if r.State == StateClosed || r.State == StateFalseAlarm || r.MergedInto != 0 {
			return errs.Conflict("response_dispatch.dispatch.report_closed")
		}
		list, err := responderQuery(ctx, tx, "WHERE r.id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+")", dispatchAnys(ids)...)
		if err != nil {
			return err
		}
		if len(list) != len(ids) {
			return errs.Invalid("responders", "response_dispatch.dispatch.responder_unknown")
		}
		proposals, _, err := s.propose(ctx, tx, r, tx.Now, math.MaxInt)
		if err != nil {
			return err
		}
		byID := map[int64]Proposal{}
		for _, p := range proposals {
			byID[p.Responder.ID] = p
		}
		type target struct {
			rs      Responder
			contact dispatchContact
			channel ResponderChannel
			km      *int64
		}
		var targets []target
		problems := map[string]bool{}
		for _, rs := range list {
			p, available := byID[rs.ID]
			switch {
			case !available:
				problems["response_dispatch.dispatch.responder_unavailable"] = true
			case p.Asked:
				problems["response_dispatch.dispatch.responder_asked"] = true
			}
			c, err := dispatchContactOf(ctx, tx, rs.ID)
			if err != nil {
				return err
			}
			ch, ok := c.channelFor(rs.Channel)
			if !ok {
				problems["response_dispatch.dispatch.responder_unreachable"] = true
			}
			t := target{rs: rs, contact: c, channel: ch}
			if p.Located {
				m := int64(math.Round(p.DistanceKm * 1000))
				t.km = &m
			}
			targets = append(targets, t)
		}
		for _, key := range []string{"response_dispatch.dispatch.responder_unavailable", "response_dispatch.dispatch.responder_asked",
			"response_dispatch.dispatch.responder_unreachable"} {
			if problems[key] {
				l.Add("responders", key)
			}
		}
		if err := l.Err(); err != nil {
			return err
		}
		if res.ID, err = tx.Insert(ctx, `INSERT INTO response_dispatches (report_id, needed, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?)`, r.ID, needed, actor.Label(), tx.Now, tx.Now); err != nil {
			return fmt.Errorf("response: insert dispatch: %w", err)
		}
		for _, t := range targets {
			token := dispatchToken()
			if _, err := tx.ExecContext(ctx, `INSERT INTO response_dispatch_requests
				(dispatch_id, report_id, responder_id, token_hash, channel, language, distance_m, state, created_at, expires_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
				res.ID, r.ID, t.rs.ID, dispatchTokenHash(token), string(t.channel), t.contact.Language, t.km, tx.Now, tx.Now.Add(DispatchTTL)); err != nil {
				return fmt.Errorf("response: insert request: %w", err)
			}
			msg := s.dispatchTexts(t.contact.Language, t.channel, "request", s.dispatchMessageData(t.contact.Language, r, token))
			if err := s.dispatchSend(ctx, tx, t.contact, t.channel, msg); err != nil {
				return err
			}
		}
		if err := record(ctx, tx, actor, "response.dispatch.send", dispatchReportObject(r.ID),
			fmt.Sprintf("dispatch=%d needed=%d responders=%s", res.ID, needed, dispatchJoinIDs(ids))); err != nil {
			return err
		}
		return s.boardChanged(ctx, tx, r.ID)
	})
	if err != nil {
		return DispatchResult{}, err
	}
	return res, nil
}

func dispatchAnys(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
