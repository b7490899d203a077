package web

import "net/http"

// responseAlertTemplateUpdate saves changes to a template; alerts sent with it keep the
// text they were sent with.
func (s *Server) responseAlertTemplateUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	t := readAlertTemplate(r)
	if _, err := s.Response.SaveAlertTemplate(r.Context(), actor(r), id, t); err != nil {
		fe, status, ok := crmInvalid(err, nil)
		if !ok {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, status, "response_alert_template", "alerts.templates.edit_title", responseAlertTemplatesPage{ID: id, Kinds: alertTemplateKinds, Form: t, Errors: fe})
		return
	}
	s.redirect(w, r, "/response/alerts/templates", "alerts.flash.template_saved")
}
