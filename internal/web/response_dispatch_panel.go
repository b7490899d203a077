package web

import "net/http"

// The dispatch section of a report's page (partial "response-dispatch"): the responders
// proposed now, nearest first, the form that asks them, and every request sent with the
// answers and the updates from the scene.
func init() {
	registerReportExtra("dispatch", func(s *Server, r *http.Request, reportID int64) (any, error) {
		p, err := s.Response.ReportDispatch(r.Context(), actor(r), reportID)
		if err != nil {
			return nil, err
		}
		return p, nil
	})
}
