package web

import "net/http"

// responseAlertTemplateEdit shows one template's form.
func (s *Server) responseAlertTemplateEdit(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.Response.AlertTemplate(r.Context(), actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "response_alert_template", "alerts.templates.edit_title", responseAlertTemplatesPage{ID: id, Kinds: alertTemplateKinds, Form: t})
}
