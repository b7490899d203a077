package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/response"
)

// responseAlertListPage is the data of the alerts list.
type responseAlertListPage struct {
	Alerts []response.Alert
	// Older pages back, or is "".
	Older string
}

// responseAlertListSize is how many alerts one page of the list shows.
const responseAlertListSize = 50

// responseAlertList lists the alerts sent, newest first, with their progress; ?report=
// keeps one report's, ?before= pages back.
func (s *Server) responseAlertList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	report := crmID(q.Get("report"))
	list, err := s.Response.Alerts(r.Context(), actor(r), response.AlertQuery{
		ReportID: report, Before: crmID(q.Get("before")), Limit: responseAlertListSize,
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := responseAlertListPage{Alerts: list}
	if len(list) == responseAlertListSize {
		values := map[string]string{"before": strconv.FormatInt(list[len(list)-1].ID, 10)}
		if report > 0 {
			values["report"] = strconv.FormatInt(report, 10)
		}
		p.Older = crmQueryURL("/response/alerts", values)
	}
	s.render(w, r, http.StatusOK, "response_alerts", "alerts.list.title", p)
}
