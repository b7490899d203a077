package web

import "net/http"

// adminAccountResetTwoFactor removes every second factor of an account (for someone who
// lost their phone) and ends its sessions, after a confirmation step; the service audits
// it.
func (s *Server) adminAccountResetTwoFactor(w http.ResponseWriter, r *http.Request) {
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
		s.adminConfirmAccount(w, r, id, adminAccountURL(id)+"/reset-two-factor",
			"admin.account.reset2fa.heading", "admin.account.reset2fa.explain", "admin.account.reset2fa.button")
		return
	}
	if err := s.Auth.ResetTwoFactor(r.Context(), actor(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, adminAccountURL(id), "admin.account.flash.reset2fa")
}
