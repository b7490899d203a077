package web

import (
	"net/http"
	"net/url"

	"solidarity/internal/response"
)

// boardPage is the data of the board.
type boardPage struct {
	Rows   []boardRow
	Area   string
	State  string
	States []response.State
	// Query is the filter as a query string, for the live script's row requests.
	Query  string
	Errors crmErrors
}

// responseBoardShow shows the board: open reports, newest first, each with its age, ZIP
// code, kind, state and source, filtered by area (?area=, a ZIP code or its first digits)
// and state (?state=). Without JavaScript the page refreshes itself every 15 seconds; with
// it, board.js follows /response/events and updates rows as reports change.
func (s *Server) responseBoardShow(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := response.BoardFilter{Area: q.Get("area"), State: response.State(q.Get("state"))}
	p := boardPage{Area: f.Area, State: string(f.State), States: response.States()}
	reports, err := s.Response.Board(r.Context(), actor(r), f)
	status := http.StatusOK
	if err != nil {
		fe, st, ok := crmInvalid(err, nil)
		if !ok {
			s.fail(w, r, err)
			return
		}
		p.Errors, status = fe, st
		if reports, err = s.Response.Board(r.Context(), actor(r), response.BoardFilter{}); err != nil {
			s.fail(w, r, err)
			return
		}
	} else {
		v := url.Values{}
		v.Set("area", f.Area)
		v.Set("state", string(f.State))
		p.Query = v.Encode()
	}
	loc, now := stateOf(r).loc, s.DB.Now()
	for _, rep := range reports {
		p.Rows = append(p.Rows, boardRowOf(loc, rep, now))
	}
	s.render(w, r, status, "response_board", "response.board.title", p)
}
