package response

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// boardTopic is the live topic of board changes.
const boardTopic = "response.board"

// Board limits: how many open reports a board lists at most, and how many closed ones
// the "closed" filter shows.
const (
	BoardLimit       = 2000
	BoardClosedLimit = 200
	recentLimit      = 20
)

// boardEvent is the payload of a board change: only the report's id, since live rows
// are kept in clear for a few minutes.
type boardEvent struct {
	Report int64 `json:"report"`
}

// boardChanged tells every open board, on every node, that report reportID changed, in tx
// (the event leaves only if tx commits).
func (s *Service) boardChanged(ctx context.Context, tx *db.Tx, reportID int64) error {
	b, _ := json.Marshal(boardEvent{Report: reportID})
	return s.live.Publish(ctx, tx, boardTopic, string(b))
}

// BoardEvents follows the changes of the board on every node (response.dispatch): each
// value is the id of a report that changed. The channel closes when the subscriber falls
// behind, when StopLive is called, or after cancel; a page then reconnects.
func (s *Service) BoardEvents(actor auth.Actor) (<-chan int64, func(), error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return nil, nil, err
	}
	events, cancel := s.live.Subscribe(boardTopic)
	out := make(chan int64, 16)
	go func() {
		defer close(out)
		for e := range events {
			var b boardEvent
			if json.Unmarshal([]byte(e.Payload), &b) != nil || b.Report == 0 {
				continue
			}
			select {
			case out <- b.Report:
			default:
				cancel() // the reader is stuck: drop it like the feed would
			}
		}
	}()
	return out, cancel, nil
}

// StopLive ends every board stream of this node; the server calls it when it shuts down.
func (s *Service) StopLive() { s.live.Close() }

// BoardFilter narrows the board.
type BoardFilter struct {
	// Area is a ZIP code or its first digits ("787"); "" for everywhere.
	Area string
	// State is one state; "" for every open one. StateClosed lists recently closed reports.
	State State
}

// normalize checks the filter.
func (f *BoardFilter) normalize() error {
	var l errs.List
	f.Area = strings.TrimSpace(f.Area)
	if len(f.Area) > 5 || strings.Trim(f.Area, "0123456789") != "" {
		l.Add("area", "response.error.area")
	}
	if f.State != "" && !f.State.Valid() {
		l.Add("state", "response.error.board_state")
	}
	return l.Err()
}

// Matches reports whether report r belongs on a board with this filter.
func (f BoardFilter) Matches(r Report) bool {
	if r.MergedInto != 0 || !strings.HasPrefix(r.ZIP, f.Area) {
		return false
	}
	if f.State == "" {
		return r.State.Open()
	}
	return r.State == f.State
}

// Board lists the reports on the board (response.dispatch): open reports that were not
// merged into another, newest first, narrowed by f. It reads no sensitive field.
func (s *Service) Board(ctx context.Context, actor auth.Actor, f BoardFilter) ([]Report, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return nil, err
	}
	if err := f.normalize(); err != nil {
		return nil, err
	}
	where := []string{"merged_into IS NULL"}
	var args []any
	order, limit := "created_at DESC, id DESC", BoardLimit
	switch f.State {
	case "":
		where = append(where, "state <> 'closed'")
	case StateClosed:
		where = append(where, "state = 'closed'")
		order, limit = "closed_at DESC, id DESC", BoardClosedLimit
	default:
		where = append(where, "state = ?")
		args = append(args, string(f.State))
	}
	if f.Area != "" {
		where = append(where, "zip LIKE ?")
		args = append(args, f.Area+"%")
	}
	return queryReports(ctx, s.db, `SELECT `+reportColumns+` FROM response_reports WHERE `+strings.Join(where, " AND ")+
		` ORDER BY `+order+` LIMIT `+strconv.Itoa(limit), args...)
}

// BoardEntry returns report id for one row of a board with filter f, and whether it
// belongs on that board (response.dispatch).
func (s *Service) BoardEntry(ctx context.Context, actor auth.Actor, id int64, f BoardFilter) (Report, bool, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return Report{}, false, err
	}
	if err := f.normalize(); err != nil {
		return Report{}, false, err
	}
	r, err := loadReport(ctx, s.db, id)
	if err != nil {
		return Report{}, false, err
	}
	return r, f.Matches(r), nil
}

// Recent lists the newest reports of every source, grouped ones included, for the
// hotline console (response.intake).
func (s *Service) Recent(ctx context.Context, actor auth.Actor) ([]Report, error) {
	if err := actor.Require(auth.PermResponseIntake); err != nil {
		return nil, err
	}
	return queryReports(ctx, s.db, `SELECT `+reportColumns+` FROM response_reports ORDER BY created_at DESC, id DESC LIMIT `+strconv.Itoa(recentLimit))
}

// queryReports runs a query of reportColumns.
func queryReports(ctx context.Context, q db.Queryer, query string, args ...any) ([]Report, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, errs.Internalf("response: list reports: %w", err)
	}
	defer rows.Close()
	out := []Report{}
	for rows.Next() {
		r, err := scanReport(rows.Scan)
		if err != nil {
			return nil, errs.Internalf("response: list reports: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Internalf("response: list reports: %w", err)
	}
	return out, nil
}

// Report returns report id's clear fields (response.dispatch).
func (s *Service) Report(ctx context.Context, actor auth.Actor, id int64) (Report, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return Report{}, err
	}
	return loadReport(ctx, s.db, id)
}

// ReportsQuery filters the API's list of reports.
type ReportsQuery struct {
	BoardFilter
	// Merged includes reports merged into others.
	Merged bool
	// Before is a cursor: only reports with a smaller id (the list is newest first).
	Before int64
	Limit  int
}

// Reports lists reports for the API (response.dispatch): newest first, by id, with the
// board's filters, State "" meaning every state.
func (s *Service) Reports(ctx context.Context, actor auth.Actor, q ReportsQuery) ([]Report, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return nil, err
	}
	if err := q.normalize(); err != nil {
		return nil, err
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 25
	}
	where := []string{"1 = 1"}
	var args []any
	if !q.Merged {
		where = append(where, "merged_into IS NULL")
	}
	if q.State != "" {
		where = append(where, "state = ?")
		args = append(args, string(q.State))
	}
	if q.Area != "" {
		where = append(where, "zip LIKE ?")
		args = append(args, q.Area+"%")
	}
	if q.Before > 0 {
		where = append(where, "id < ?")
		args = append(args, q.Before)
	}
	return queryReports(ctx, s.db, `SELECT `+reportColumns+` FROM response_reports WHERE `+strings.Join(where, " AND ")+
		` ORDER BY id DESC LIMIT `+strconv.Itoa(q.Limit), args...)
}
