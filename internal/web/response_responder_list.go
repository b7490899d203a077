package web

import (
	"net/http"

	"solidarity/internal/response"
)

// responderListPage is the data of the responders page.
type responderListPage struct {
	Responders []responderRow
	OnCall     int
	Available  int
}

// responderRow is one responder as the list shows them.
type responderRow struct {
	response.Responder
	Available bool
	Counties  []string // county zones in words
}

// responseResponderList lists the responders: who is on call and available now, their
// zones, languages and channel, with a quick on-call toggle.
func (s *Server) responseResponderList(w http.ResponseWriter, r *http.Request) {
	list, err := s.Response.Responders(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.DB.Now()
	p := responderListPage{Responders: make([]responderRow, 0, len(list))}
	for _, rs := range list {
		row := responderRow{Responder: rs, Available: rs.AvailableAt(now)}
		for _, c := range rs.Counties {
			row.Counties = append(row.Counties, response.CountyLabel(c))
		}
		if rs.OnCall {
			p.OnCall++
		}
		if row.Available {
			p.Available++
		}
		p.Responders = append(p.Responders, row)
	}
	s.render(w, r, http.StatusOK, "response_responders", "response_dispatch.responders.title", p)
}
