package web

import (
	"net/http"

	"solidarity/internal/errs"
)

// responseReportChecks saves a report's verification checklist: the items ticked in the
// form are checked, the others unchecked.
func (s *Server) responseReportChecks(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	var items []int64
	for _, v := range r.PostForm["item"] {
		item := crmID(v)
		if item == 0 {
			s.fail(w, r, errs.Invalid("item", "response.checklist.not_found"))
			return
		}
		items = append(items, item)
	}
	if err := s.Response.SetChecks(r.Context(), actor(r), id, items); err != nil {
		if fe, status, ok := crmInvalid(err, nil); ok {
			s.renderReportPage(w, r, status, reportForms{Errors: fe, Task: taskForm{Due: "24h"}})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, reportURL(id)+"#checklist", "response.checklist.saved")
}
