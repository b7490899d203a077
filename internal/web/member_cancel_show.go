package web

import (
	"net/http"

	"solidarity/internal/people"
)

// memberCancelPage is the data of the page that asks a member to confirm cancelling their
// membership.
type memberCancelPage struct {
	Me   people.MemberView
	Tier *publicTier
}

// memberCancelShow asks a member to confirm that their membership should end, saying what
// stays and, for dues that recur, where card gifts are stopped. A member with nothing to
// cancel goes back to their page.
func (s *Server) memberCancelShow(w http.ResponseWriter, r *http.Request) {
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
	if me.Membership == nil || me.Membership.Status == people.MemberCancelled {
		s.redirect(w, r, people.MemberPath, "people.membership.none")
		return
	}
	page := memberCancelPage{Me: me}
	if me.Tier != nil {
		t := publicTiers([]people.Tier{*me.Tier}, stateOf(r).lang)[0]
		page.Tier = &t
	}
	s.render(w, r, http.StatusOK, "public_member_cancel", "public.cancel.title", page)
}
