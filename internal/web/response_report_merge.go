package web

import (
	"net/http"
	"strings"
)

// responseReportMerge merges the report, a duplicate, into the report whose number the
// form gives; the page goes on to the report it was merged into.
func (s *Server) responseReportMerge(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	raw := strings.TrimPrefix(field(r, "into"), "#")
	into := crmID(raw)
	if err := s.Response.Merge(r.Context(), actor(r), id, into); err != nil {
		if fe, status, ok := crmInvalid(err, nil); ok {
			s.renderReportPage(w, r, status, reportForms{Errors: fe, Into: raw, Task: taskForm{Due: "24h"}})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, reportURL(id), "response.merge.done")
}
