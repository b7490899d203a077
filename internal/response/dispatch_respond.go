package response

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// RespondView is what a responder's one-tap link page shows. Before they are assigned it
// holds only what the request message said (kind, area, counts, time); once assigned, the
// exact address and the reporter's description too, each read audited.
type RespondView struct {
	State    RequestState
	Language string // the responder's language, for the page
	Kind     Kind
	Area     Area
	// ReportOpen is false once the report is closed or found a false alarm: nobody needs
	// to go any more.
	ReportOpen bool
	ObservedAt time.Time
	// ObservedLocal is ObservedAt in the responder's time zone, written out.
	ObservedLocal string
	Agents        int
	Vehicles      int
	Needed        int
	Assigned      int
	// Address and Description are set for an assigned responder only.
	Address     string
	Description string
	// Sealed is true when the responder is assigned but this server's vault is sealed, so
	// the address cannot be shown.
	Sealed    bool
	Updates   []OwnUpdate
	ExpiresAt time.Time
}

// OwnUpdate is one update the responder posted, as their page lists it (kind and time;
// the note is not shown back).
type OwnUpdate struct {
	Kind UpdateKind
	At   time.Time
}

// RespondPage opens a responder's link. An unknown or expired link is a not-found error
// that says nothing more. Showing the address to an assigned responder is audited.
func (s *Service) RespondPage(ctx context.Context, token string) (RespondView, error) {
	var v RespondView
	err := s.inTx(ctx, func(tx *db.Tx) error {
		req, err := dispatchRequestByToken(ctx, tx, token, tx.Now)
		if err != nil {
			return err
		}
		v, err = s.respondView(ctx, tx, req)
		return err
	})
	return v, err
}

// AnswerByLink applies the responder's accept or decline button.
func (s *Service) AnswerByLink(ctx context.Context, token string, accept bool) (AnswerOutcome, error) {
	var out AnswerOutcome
	err := s.inTx(ctx, func(tx *db.Tx) error {
		req, err := dispatchRequestByToken(ctx, tx, token, tx.Now)
		if err != nil {
			return err
		}
		out, err = s.answer(ctx, tx, req, accept, viaLink)
		return err
	})
	return out, err
}

// PostUpdate records what an assigned responder reports from the scene, with an optional
// short note (encrypted), and tells the boards.
func (s *Service) PostUpdate(ctx context.Context, token string, kind UpdateKind, note string) error {
	var l errs.List
	if !slices.Contains(UpdateKinds(), kind) {
		l.Add("kind", "response_dispatch.update.kind_invalid")
	}
	note = strings.TrimSpace(strings.ReplaceAll(note, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(note) || strings.IndexFunc(note, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' || r == 0x7f }) >= 0:
		l.Add("note", "response_dispatch.update.note_invalid")
	case utf8.RuneCountInString(note) > MaxUpdateNote:
		l.Add("note", "response_dispatch.update.note_too_long")
	}
	if err := l.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		req, err := dispatchRequestByToken(ctx, tx, token, tx.Now)
		if err != nil {
			return err
		}
		if req.State != RequestAssigned {
			return errs.Conflict("response_dispatch.update.not_assigned")
		}
		id, err := tx.Insert(ctx, `INSERT INTO response_dispatch_updates (request_id, report_id, kind, created_at)
			VALUES (?, ?, ?, ?)`, req.ID, req.ReportID, string(kind), tx.Now)
		if err != nil {
			return fmt.Errorf("response: insert update: %w", err)
		}
		if note != "" {
			ct, err := s.vault.EncryptString("response_dispatch_updates", id, "note", note)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE response_dispatch_updates SET note = ? WHERE id = ?", ct, id); err != nil {
				return fmt.Errorf("response: update note: %w", err)
			}
		}
		if err := dispatchAudit(ctx, tx, responderObject(req.ResponderID), "", "response.dispatch.update", dispatchReportObject(req.ReportID),
			fmt.Sprintf("kind=%s note=%t", kind, note != "")); err != nil {
			return err
		}
		return s.boardChanged(ctx, tx, req.ReportID)
	})
}

// respondView builds the link page of a request, in tx.
func (s *Service) respondView(ctx context.Context, tx *db.Tx, req dispatchRequest) (RespondView, error) {
	r, err := loadReport(ctx, tx, req.ReportID)
	if err != nil {
		return RespondView{}, err
	}
	area, _, _ := areaOf(r.ZIP)
	v := RespondView{State: req.State, Language: req.Language, Kind: r.Kind, Area: area, ObservedAt: r.ObservedAt,
		Agents: r.Agents, Vehicles: r.Vehicles, ExpiresAt: req.ExpiresAt,
		ReportOpen: r.State != StateClosed && r.State != StateFalseAlarm && r.MergedInto == 0}
	var zone string
	if err := tx.QueryRowContext(ctx, `SELECT d.needed, d.assigned, COALESCE(r.time_zone, '') FROM response_dispatches d
		LEFT JOIN response_responders r ON r.id = ? WHERE d.id = ?`, req.ResponderID, req.DispatchID).Scan(&v.Needed, &v.Assigned, &zone); err != nil {
		return v, fmt.Errorf("response: read dispatch: %w", err)
	}
	v.ObservedLocal = r.ObservedAt.In(responderLocation(zone)).Format("2006-01-02 15:04 MST")
	if err := responderEach(ctx, tx, "SELECT kind, created_at FROM response_dispatch_updates WHERE request_id = ? ORDER BY id", []any{req.ID},
		func(scan func(...any) error) error {
			var u OwnUpdate
			if err := scan(&u.Kind, &u.At); err != nil {
				return err
			}
			v.Updates = append(v.Updates, u)
			return nil
		}); err != nil {
		return v, err
	}
	if req.State != RequestAssigned || !v.ReportOpen {
		return v, nil
	}
	// The assigned responder needs the address to go.
	var address, description []byte
	if err := tx.QueryRowContext(ctx, "SELECT address, description FROM response_reports WHERE id = ?", r.ID).Scan(&address, &description); err != nil {
		return v, fmt.Errorf("response: read location: %w", err)
	}
	if s.vault.Sealed() {
		v.Sealed = true
		return v, nil
	}
	var read []string
	for _, f := range []struct {
		column string
		ct     []byte
		into   *string
	}{{"address", address, &v.Address}, {"description", description, &v.Description}} {
		if len(f.ct) == 0 {
			continue
		}
		plain, err := s.vault.DecryptString("response_reports", r.ID, f.column, f.ct)
		if errors.Is(err, errs.ErrSealed) {
			v.Sealed = true
			return v, nil
		}
		if err != nil {
			return v, err
		}
		*f.into = plain
		read = append(read, f.column)
	}
	if len(read) == 0 {
		return v, nil
	}
	return v, dispatchAudit(ctx, tx, responderObject(req.ResponderID), "", "response.report.read_location", dispatchReportObject(r.ID),
		"fields="+strings.Join(read, ",")+" via=link")
}
