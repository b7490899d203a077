package web

import "net/http"

// adminAccountEnable lets a disabled (or locked) account sign in again; the service audits
// it. Enabling is easy to undo, so it needs no confirmation step.
func (s *Server) adminAccountEnable(w http.ResponseWriter, r *http.Request) {
	id, err := adminPathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Auth.EnableAccount(r.Context(), actor(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, adminAccountURL(id), "admin.account.flash.enabled")
}
