package web

import "net/http"

// adminAccountEndSessions signs an account out everywhere, after a confirmation step; the
// service audits it. Ending one's own sessions signs oneself out too.
func (s *Server) adminAccountEndSessions(w http.ResponseWriter, r *http.Request) {
	s.adminAccountConfirmed(w, r, accountAction{path: "/end-sessions", keys: "admin.account.end_sessions",
		flash: "admin.account.flash.sessions_ended", do: s.Auth.EndAllSessions})
}
