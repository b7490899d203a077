package web

import (
	"net/http"
	"time"

	"solidarity/internal/response"
)

// responseTaskCreate adds a follow-up task to a report: its kind, its owner and when it
// is due.
func (s *Server) responseTaskCreate(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	tf := taskForm{Kind: field(r, "kind"), Owner: field(r, "owner"), Due: field(r, "due")}
	in := response.TaskInput{Kind: response.TaskKind(tf.Kind), OwnerID: crmID(tf.Owner), DueIn: -time.Second}
	for _, d := range taskDue {
		if d.Value == tf.Due {
			in.DueIn = d.In
		}
	}
	if _, err := s.Response.AddTask(r.Context(), actor(r), id, in); err != nil {
		if fe, status, ok := crmInvalid(err, map[string]string{"kind": "task-kind", "owner": "task-owner", "due": "task-due"}); ok {
			s.renderReportPage(w, r, status, reportForms{Errors: fe, Task: tf})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, reportURL(id)+"#tasks", "response.task.added")
}
