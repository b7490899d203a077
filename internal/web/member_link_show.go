package web

import (
	"net/http"

	"solidarity/internal/people"
)

// memberLinkPage is the data of the page a sign-in link opens.
type memberLinkPage struct {
	Action string // where the sign-in is posted
}

// memberLinkShow opens a sign-in link with a button that signs in. Opening the link uses
// nothing up, so that a mail scanner following it does not spend the member's link.
func (s *Server) memberLinkShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "public_member_link", "public.link.title",
		memberLinkPage{Action: people.SignInPath + r.PathValue("token")})
}
