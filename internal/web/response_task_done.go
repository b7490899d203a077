package web

import "net/http"

// responseTaskDone marks a follow-up task done, or open again (done=no).
func (s *Server) responseTaskDone(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	report, err := s.Response.SetTaskDone(r.Context(), actor(r), id, field(r, "done") != "no")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, reportURL(report)+"#tasks", "response.task.saved")
}
