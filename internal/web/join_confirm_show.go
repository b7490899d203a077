package web

import (
	"net/http"

	"solidarity/internal/people"
)

// joinConfirmPage is the data of the page an e-mail confirmation link opens.
type joinConfirmPage struct {
	Action string // where the confirmation is posted
}

// joinConfirmShow opens an e-mail confirmation link with a button that confirms. Opening
// the link changes nothing: mail scanners that follow links must not confirm anyone's
// consent or use up their link.
func (s *Server) joinConfirmShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "public_join_confirm", "public.confirm.title",
		joinConfirmPage{Action: people.ConfirmPath + r.PathValue("token")})
}
