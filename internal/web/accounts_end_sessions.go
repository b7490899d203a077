package web

import "net/http"

// adminAccountEndSessions signs an account out everywhere, after a confirmation step; the
// service audits it. Ending one's own sessions signs oneself out too.
func (s *Server) adminAccountEndSessions(w http.ResponseWriter, r *http.Request) {
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
		s.adminConfirmAccount(w, r, id, adminAccountURL(id)+"/end-sessions",
			"admin.account.end_sessions.heading", "admin.account.end_sessions.explain", "admin.account.end_sessions.button")
		return
	}
	if err := s.Auth.EndAllSessions(r.Context(), actor(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, adminAccountURL(id), "admin.account.flash.sessions_ended")
}
