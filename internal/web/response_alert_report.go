package web

import "net/http"

// The alerts section of a report's page (partial "response-alert"): the alerts sent about
// the report and, once it is confirmed, the way to compose one. Viewers without
// response.alert do not see it.
func init() {
	registerReportExtra("alert", func(s *Server, r *http.Request, reportID int64) (any, error) {
		return s.Response.ReportAlerts(r.Context(), actor(r), reportID)
	})
}
