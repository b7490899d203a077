package web

import (
	"net/http"

	"solidarity/internal/people"
)

// memberLeavePage is the data of the page that asks a member to confirm leaving.
type memberLeavePage struct {
	Name string
}

// memberLeaveShow asks a member to confirm that their record should be deleted, saying
// what goes with it.
func (s *Server) memberLeaveShow(w http.ResponseWriter, r *http.Request) {
	me, err := s.People.Me(r.Context(), memberToken(r))
	if memberGone(err) {
		s.clearMemberSession(w)
		s.redirect(w, r, people.MemberPath, "public.member.session_ended")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "public_member_leave", "public.leave.title", memberLeavePage{Name: me.GivenName})
}
