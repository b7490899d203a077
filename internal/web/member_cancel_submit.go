package web

import (
	"net/http"

	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// memberCancelSubmit cancels the member's own membership once they confirmed; without the
// confirmation it asks first, as the confirmation page does. The member stays signed in
// and goes back to their page, which shows the membership cancelled.
func (s *Server) memberCancelSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		s.memberCancelShow(w, r)
		return
	}
	err := s.People.CancelMembership(r.Context(), memberToken(r))
	switch {
	case memberGone(err):
		s.clearMemberSession(w)
		s.redirect(w, r, people.MemberPath, "public.member.session_ended")
	case errs.CodeOf(err) == errs.CodeConflict:
		s.redirect(w, r, people.MemberPath, "people.membership.none")
	case err != nil:
		s.fail(w, r, err)
	default:
		s.redirect(w, r, people.MemberPath, "public.cancel.done")
	}
}
