package web

import "net/http"

// adminInvitationsRevoke withdraws an invitation, so that its link stops working. The
// button says what it does; nothing is lost that a new invitation cannot give back.
func (s *Server) adminInvitationsRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := adminPathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Auth.RevokeInvitation(r.Context(), actor(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/accounts", "admin.invite.revoked")
}
