package web

import "net/http"

// adminRetentionRun runs every retention policy now instead of waiting for the hourly job.
// Each run logs itself and writes its own audit entry; the handler records who asked. A
// policy that fails does not stop the others, and its error shows on the page.
func (s *Server) adminRetentionRun(w http.ResponseWriter, r *http.Request) {
	if err := s.adminRecord(r.Context(), actor(r), "retention.run_now", "retention", ""); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Retention.RunAll(r.Context()); err != nil {
		s.Log.Warn("retention run now: some policies failed", "err", err)
		s.redirect(w, r, "/admin/retention", "admin.retention.ran_with_errors")
		return
	}
	s.redirect(w, r, "/admin/retention", "admin.retention.ran")
}
