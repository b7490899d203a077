package web

import "net/http"

// adminAccountDisable stops an account from signing in and ends its sessions, after a
// confirmation step. The service refuses the actor's own account and the last
// administrator, and audits the change.
func (s *Server) adminAccountDisable(w http.ResponseWriter, r *http.Request) {
	s.adminAccountConfirmed(w, r, accountAction{path: "/disable", keys: "admin.account.disable",
		flash: "admin.account.flash.disabled", do: s.Auth.DisableAccount})
}
