package web

import (
	"net/http"

	"solidarity/internal/people"
)

// memberLeaveSubmit deletes the member's own record for real once they confirmed; without
// the confirmation it asks first, as the confirmation page does.
func (s *Server) memberLeaveSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		s.memberLeaveShow(w, r)
		return
	}
	err := s.People.Leave(r.Context(), memberToken(r))
	if memberGone(err) {
		s.clearMemberSession(w)
		s.redirect(w, r, people.MemberPath, "public.member.session_ended")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.clearMemberSession(w)
	s.redirect(w, r, "/", "public.leave.done")
}
