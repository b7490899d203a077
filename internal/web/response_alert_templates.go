package web

import (
	"net/http"

	"solidarity/internal/response"
)

// responseAlertTemplatesPage is the data of the templates page and of a template's page.
type responseAlertTemplatesPage struct {
	Templates []response.AlertTemplate
	// ID is the template being edited (0 on the list's "new template" form).
	ID     int64
	Form   response.AlertTemplate
	Errors crmErrors
	// Kinds are the choices of the kind radio buttons.
	Kinds []response.AlertKind
}

// alertTemplateKinds are the kinds a template may be.
var alertTemplateKinds = []response.AlertKind{response.AlertKindAlert, response.AlertKindAllClear}

// responseAlertTemplates lists the alert templates with a form for a new one.
func (s *Server) responseAlertTemplates(w http.ResponseWriter, r *http.Request) {
	s.renderAlertTemplates(w, r, http.StatusOK, responseAlertTemplatesPage{Form: response.AlertTemplate{Kind: response.AlertKindAlert}})
}

// renderAlertTemplates renders the templates page with the current list.
func (s *Server) renderAlertTemplates(w http.ResponseWriter, r *http.Request, status int, p responseAlertTemplatesPage) {
	list, err := s.Response.AlertTemplates(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Templates, p.Kinds = list, alertTemplateKinds
	s.render(w, r, status, "response_alert_templates", "alerts.templates.title", p)
}

// readAlertTemplate reads the template form.
func readAlertTemplate(r *http.Request) response.AlertTemplate {
	return response.AlertTemplate{Name: field(r, "name"), Kind: response.AlertKind(field(r, "kind")),
		BodyEn: r.PostFormValue("body_en"), BodyEs: r.PostFormValue("body_es")}
}
