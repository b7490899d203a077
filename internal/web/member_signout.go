package web

import (
	"net/http"

	"solidarity/internal/people"
)

// memberSignOut ends the member's self-service session and clears its cookie. Ending no
// session is harmless.
func (s *Server) memberSignOut(w http.ResponseWriter, r *http.Request) {
	if err := s.People.SignOut(r.Context(), memberToken(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.clearMemberSession(w)
	s.redirect(w, r, people.MemberPath, "public.member.signed_out")
}
