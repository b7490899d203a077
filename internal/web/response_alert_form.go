package web

import (
	"net/http"
	"slices"
	"strconv"

	"solidarity/internal/response"
)

// responseAlertForm is the compose form as sent (or as first shown).
type responseAlertForm struct {
	Report, Parent, Template string
	ZIPs, BodyEn, BodyEs     string
	// Nearby are the suggested ZIP codes ticked.
	Nearby []string
}

// Ticked reports whether a suggested ZIP code is ticked, for templates.
func (f responseAlertForm) Ticked(zip string) bool { return slices.Contains(f.Nearby, zip) }

// responseAlertComposePage is the data of the compose page.
type responseAlertComposePage struct {
	Draft   response.AlertDraft
	Form    responseAlertForm
	Preview *response.AlertPreview
	// Audience is the preview's count by channel and language, in a fixed order.
	Audience []responseAlertAudience
	Errors   crmErrors
}

// responseAlertAudience is one line of the preview's count.
type responseAlertAudience struct {
	Channel, Lang string
	Count         int
}

// responseAlertRename maps the service's field names to the form's input ids.
var responseAlertRename = map[string]string{"zips": "zips", "body_en": "body_en", "body_es": "body_es", "template": "template"}

// readAlertForm reads the compose form.
func readAlertForm(r *http.Request) responseAlertForm {
	return responseAlertForm{
		Report: field(r, "report"), Parent: field(r, "parent"), Template: field(r, "template"),
		ZIPs: field(r, "zips"), BodyEn: r.PostFormValue("body_en"), BodyEs: r.PostFormValue("body_es"),
		Nearby: r.PostForm["nearby"],
	}
}

// request turns the form into the service's request: the typed ZIP codes and the ticked
// suggestions together.
func (f responseAlertForm) request() response.AlertRequest {
	return response.AlertRequest{
		ReportID: crmID(f.Report), ParentID: crmID(f.Parent), TemplateID: crmID(f.Template),
		ZIPs:   append(crmSplit(f.ZIPs, crmListSeps+" \t"), f.Nearby...),
		BodyEn: f.BodyEn, BodyEs: f.BodyEs,
	}
}

// renderAlertCompose renders the compose page for the form's report (or parent alert),
// with a preview or errors.
func (s *Server) renderAlertCompose(w http.ResponseWriter, r *http.Request, status int, p responseAlertComposePage) {
	actor := actor(r)
	if p.Form.Report != "" || p.Form.Parent != "" {
		d, err := s.Response.AlertDraft(r.Context(), actor, crmID(p.Form.Report), crmID(p.Form.Parent))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Draft = d
		p.Form.Report = strconv.FormatInt(d.Report.ID, 10)
	}
	if p.Preview != nil {
		for _, ch := range []string{"sms", "email"} {
			for _, lang := range []string{"en", "es"} {
				if n := p.Preview.Audience[ch+"."+lang]; n > 0 {
					p.Audience = append(p.Audience, responseAlertAudience{Channel: ch, Lang: lang, Count: n})
				}
			}
		}
	}
	title := "alerts.compose.title"
	if p.Draft.Kind == response.AlertKindAllClear {
		title = "alerts.compose.all_clear_title"
	}
	s.render(w, r, status, "response_alert_new", title, p)
}
