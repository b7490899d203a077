package web

import "net/http"

// adminAccountDisable stops an account from signing in and ends its sessions, after a
// confirmation step. The service refuses the actor's own account and the last
// administrator, and audits the change.
func (s *Server) adminAccountDisable(w http.ResponseWriter, r *http.Request) {
	id, err := adminPathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	if !adminConfirmed(r) {
		s.adminConfirmAccount(w, r, id, adminAccountURL(id)+"/disable",
			"admin.account.disable.heading", "admin.account.disable.explain", "admin.account.disable.button")
		return
	}
	if err := s.Auth.DisableAccount(r.Context(), actor(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, adminAccountURL(id), "admin.account.flash.disabled")
}
