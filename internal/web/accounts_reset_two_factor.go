package web

import "net/http"

// adminAccountResetTwoFactor removes every second factor of an account (for someone who
// lost their phone) and ends its sessions, after a confirmation step; the service audits
// it.
func (s *Server) adminAccountResetTwoFactor(w http.ResponseWriter, r *http.Request) {
	s.adminAccountConfirmed(w, r, accountAction{path: "/reset-two-factor", keys: "admin.account.reset2fa",
		flash: "admin.account.flash.reset2fa", do: s.Auth.ResetTwoFactor})
}
