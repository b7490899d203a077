package web

import (
	"net/http"

	"solidarity/internal/people"
)

// memberLinkSubmit uses a sign-in link and opens a self-service session in its own cookie.
// A used, expired or unknown link shows the form for a new one, with 404.
func (s *Server) memberLinkSubmit(w http.ResponseWriter, r *http.Request) {
	ss, err := s.People.SignIn(r.Context(), r.PathValue("token"))
	if memberGone(err) {
		f := newForm("member-signin", memberSignInInputs)
		f.add(err)
		s.renderMemberSignIn(w, r, http.StatusNotFound, f)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setMemberSession(w, ss)
	s.redirect(w, r, people.MemberPath, "public.member.welcome")
}
