package web

import "net/http"

// responseAlertTemplateDelete removes a template.
func (s *Server) responseAlertTemplateDelete(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Response.DeleteAlertTemplate(r.Context(), actor(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/response/alerts/templates", "alerts.flash.template_deleted")
}
