package web

import (
	"net/http"
	"strings"
)

// responseAlertNew shows the compose page: for ?report= an alert about that report (its
// ZIP code as the area, nearby ones to tick), for ?parent= the all clear of that alert;
// with neither, a box for the report's number.
func (s *Server) responseAlertNew(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := responseAlertComposePage{Form: responseAlertForm{Report: strings.TrimSpace(q.Get("report")), Parent: strings.TrimSpace(q.Get("parent"))}}
	if p.Form.Report == "" && p.Form.Parent == "" {
		s.render(w, r, http.StatusOK, "response_alert_new", "alerts.compose.title", p)
		return
	}
	d, err := s.Response.AlertDraft(r.Context(), actor(r), crmID(p.Form.Report), crmID(p.Form.Parent))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Form.ZIPs = strings.Join(d.ZIPs, ", ")
	s.renderAlertCompose(w, r, http.StatusOK, p)
}
