package web

import (
	"net/http"

	"solidarity/internal/response"
)

// responseAlertPageData is the data of an alert's status page.
type responseAlertPageData struct {
	Alert    response.Alert
	Statuses []response.RecipientStatus
	// Refresh reloads the page every few seconds while the alert is sending (without
	// JavaScript, by the Refresh header); the visitor can turn it off.
	Refresh bool
}

// responseAlertShow shows an alert: its texts, its area, and how many recipients are in
// each status, refreshing itself while it is being sent.
func (s *Server) responseAlertShow(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.Response.Alert(r.Context(), actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := responseAlertPageData{Alert: a, Statuses: response.RecipientStatuses,
		Refresh: a.Status == response.AlertSending && r.URL.Query().Get("still") == ""}
	if p.Refresh {
		// The Refresh header reloads the page without JavaScript. It is a header, not a
		// <meta> tag, and the page's first words offer to stop it (WCAG 2.2.1: a time limit
		// the user can turn off); it ends by itself when the alert is sent.
		w.Header().Set("Refresh", "3")
	}
	s.render(w, r, http.StatusOK, "response_alert", "alerts.show.title", p)
}
