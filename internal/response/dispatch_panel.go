package response

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/geo"
)

// DispatchPanel is the dispatch part of a report's page: the responders proposed now and
// every dispatch sent so far with its requests and the updates from the scene.
type DispatchPanel struct {
	ReportID int64
	Area     Area
	// Open is false when the report can no longer be dispatched (closed, false alarm,
	// merged).
	Open       bool
	Proposals  []Proposal
	OnCall     int // responders on call, available now or not
	Dispatches []DispatchView
	// NotesSealed is true when scene notes exist but the vault is sealed.
	NotesSealed bool
}

// DispatchView is one dispatch as the report page shows it.
type DispatchView struct {
	ID        int64
	Needed    int
	Assigned  int
	CreatedAt time.Time
	FilledAt  *time.Time
	Requests  []RequestView
}

// RequestView is one responder's request.
type RequestView struct {
	ResponderID int64 // 0 when the responder was removed since
	Name        string
	Channel     ResponderChannel
	State       RequestState
	AnsweredVia string
	AnsweredAt  *time.Time
	DistanceKm  float64
	Located     bool
	Expired     bool
	Updates     []UpdateView
}

// DistanceMiles is DistanceKm in miles.
func (r RequestView) DistanceMiles() float64 { return geo.Miles(r.DistanceKm) }

// UpdateView is one update from the scene, with its note decrypted.
type UpdateView struct {
	Kind UpdateKind
	Note string
	At   time.Time

	id     int64
	sealed []byte // the note's ciphertext until decryptNotes opens it
}

// ReportDispatch returns the dispatch panel of a report. Reading the scene notes is
// audited.
func (s *Service) ReportDispatch(ctx context.Context, actor auth.Actor, reportID int64) (DispatchPanel, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return DispatchPanel{}, err
	}
	var p DispatchPanel
	err := s.inTx(ctx, func(tx *db.Tx) error {
		r, err := loadReport(ctx, tx, reportID)
		if err != nil {
			return err
		}
		p = DispatchPanel{ReportID: r.ID, Open: r.State != StateClosed && r.State != StateFalseAlarm && r.MergedInto == 0}
		p.Area, _, _ = areaOf(r.ZIP)
		if p.Open {
			if p.Proposals, p.OnCall, err = s.propose(ctx, tx, r, tx.Now, DefaultProposals); err != nil {
				return err
			}
		}
		if p.Dispatches, err = dispatchViews(ctx, tx, r.ID, tx.Now); err != nil {
			return err
		}
		return s.decryptNotes(ctx, tx, actor, &p)
	})
	return p, err
}

// dispatchViews reads a report's dispatches, requests and updates (notes still sealed).
func dispatchViews(ctx context.Context, tx *db.Tx, reportID int64, now time.Time) ([]DispatchView, error) {
	var out []DispatchView
	byID := map[int64]int{}
	if err := responderEach(ctx, tx, "SELECT id, needed, assigned, created_at, filled_at FROM response_dispatches WHERE report_id = ? ORDER BY id DESC",
		[]any{reportID}, func(scan func(...any) error) error {
			var d DispatchView
			var filled sql.NullTime
			if err := scan(&d.ID, &d.Needed, &d.Assigned, &d.CreatedAt, &filled); err != nil {
				return err
			}
			if filled.Valid {
				t := filled.Time
				d.FilledAt = &t
			}
			byID[d.ID] = len(out)
			out = append(out, d)
			return nil
		}); err != nil {
		return nil, err
	}
	type at struct{ d, q int }
	reqs := map[int64]at{}
	if err := responderEach(ctx, tx, `SELECT q.id, q.dispatch_id, q.responder_id, COALESCE(p.given_name, ''), COALESCE(p.family_name, ''),
		q.channel, q.state, q.answered_via, q.answered_at, q.distance_m, q.expires_at
		FROM response_dispatch_requests q LEFT JOIN response_responders r ON r.id = q.responder_id LEFT JOIN people p ON p.id = r.person_id
		WHERE q.report_id = ? ORDER BY q.id`, []any{reportID}, func(scan func(...any) error) error {
		var id, dispatchID int64
		var rq RequestView
		var responder, meters sql.NullInt64
		var given, family string
		var answered sql.NullTime
		var expires time.Time
		if err := scan(&id, &dispatchID, &responder, &given, &family, &rq.Channel, &rq.State, &rq.AnsweredVia, &answered, &meters, &expires); err != nil {
			return err
		}
		rq.ResponderID = responder.Int64
		rq.Name = dispatchName(given, family)
		if answered.Valid {
			t := answered.Time
			rq.AnsweredAt = &t
		}
		if meters.Valid {
			rq.DistanceKm, rq.Located = float64(meters.Int64)/1000, true
		}
		rq.Expired = !expires.After(now)
		i, ok := byID[dispatchID]
		if !ok {
			return nil
		}
		reqs[id] = at{i, len(out[i].Requests)}
		out[i].Requests = append(out[i].Requests, rq)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, responderEach(ctx, tx, "SELECT id, request_id, kind, note, created_at FROM response_dispatch_updates WHERE report_id = ? ORDER BY id",
		[]any{reportID}, func(scan func(...any) error) error {
			var requestID int64
			var u UpdateView
			if err := scan(&u.id, &requestID, &u.Kind, &u.sealed, &u.At); err != nil {
				return err
			}
			where, ok := reqs[requestID]
			if !ok {
				return nil
			}
			rq := &out[where.d].Requests[where.q]
			rq.Updates = append(rq.Updates, u)
			return nil
		})
}

// decryptNotes opens the scene notes of the panel, and audits that they were read.
func (s *Service) decryptNotes(ctx context.Context, tx *db.Tx, actor auth.Actor, p *DispatchPanel) error {
	read := 0
	for i := range p.Dispatches {
		for j := range p.Dispatches[i].Requests {
			ups := p.Dispatches[i].Requests[j].Updates
			for k := range ups {
				if len(ups[k].sealed) == 0 {
					continue
				}
				plain, err := s.vault.DecryptString("response_dispatch_updates", ups[k].id, "note", ups[k].sealed)
				ups[k].sealed = nil
				switch {
				case errors.Is(err, errs.ErrSealed):
					p.NotesSealed = true
					continue
				case err != nil:
					return err
				}
				ups[k].Note = plain
				read++
			}
		}
	}
	if read == 0 {
		return nil
	}
	return record(ctx, tx, actor, "response.scene_notes.read", dispatchReportObject(p.ReportID), fmt.Sprintf("notes=%d", read))
}

func dispatchName(given, family string) string {
	switch {
	case given == "":
		return family
	case family == "":
		return given
	}
	return given + " " + family
}
