package web

import "net/http"

// responseAlertTemplateCreate saves a new alert template.
func (s *Server) responseAlertTemplateCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	t := readAlertTemplate(r)
	if _, err := s.Response.SaveAlertTemplate(r.Context(), actor(r), 0, t); err != nil {
		fe, status, ok := crmInvalid(err, nil)
		if !ok {
			s.fail(w, r, err)
			return
		}
		s.renderAlertTemplates(w, r, status, responseAlertTemplatesPage{Form: t, Errors: fe})
		return
	}
	s.redirect(w, r, "/response/alerts/templates", "alerts.flash.template_saved")
}
