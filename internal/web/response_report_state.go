package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/response"
)

// responseReportState moves a report to another state; closing needs an outcome, and a
// refused change comes back on the report's page with its error.
func (s *Server) responseReportState(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.Response.SetState(r.Context(), actor(r), id, response.State(field(r, "state")), response.Outcome(field(r, "outcome")))
	if err != nil {
		if fe, status, ok := crmInvalid(err, nil); ok {
			s.renderReportPage(w, r, status, reportForms{Errors: fe, Task: taskForm{Due: "24h"}})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, reportURL(id), "response.report.state_saved")
}

// reportURL is the address of a report's page.
func reportURL(id int64) string { return "/response/reports/" + strconv.FormatInt(id, 10) }
