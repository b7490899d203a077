package web

import (
	"net/http"

	"solidarity/internal/errs"
	"solidarity/internal/response"
)

// responderMePage is the data of a responder's own page.
type responderMePage struct {
	Linked    bool // a responder record is linked to this account
	Responder response.Responder
	Available bool
	Counties  []string
	Days      []responderDay
}

// responseResponderMe shows a signed-in responder their on-call state, zones and hours,
// with the toggle. An account without a responder record is told to ask a dispatcher.
func (s *Server) responseResponderMe(w http.ResponseWriter, r *http.Request) {
	rs, err := s.Response.OwnResponder(r.Context(), actor(r))
	var p responderMePage
	switch {
	case errs.CodeOf(err) == errs.CodeNotFound:
	case err != nil:
		s.fail(w, r, err)
		return
	default:
		p = responderMePage{Linked: true, Responder: rs, Available: rs.AvailableAt(s.DB.Now()), Days: responderFormOf(rs).Days()}
		for _, c := range rs.Counties {
			p.Counties = append(p.Counties, response.CountyLabel(c))
		}
	}
	s.render(w, r, http.StatusOK, "response_responder_me", "response_dispatch.me.title", p)
}
