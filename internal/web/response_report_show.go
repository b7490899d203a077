package web

import "net/http"

// reportHoneypot is the input of the report form that people never see and robots fill.
const reportHoneypot = "website"

// reportPublicPage is the data of the public report page.
type reportPublicPage struct {
	Form    *form
	Choices reportFormChoices
	// Sealed says the report could not be taken (the vault is sealed); Hotline is the
	// number to call or text instead, when one is configured.
	Sealed  bool
	Hotline string
	// PhoneDays and FalseAlarmDays are how long a closed report keeps the reporter's phone,
	// and a false alarm its location, as the retention policies are set now.
	PhoneDays      int
	FalseAlarmDays int
}

// responseReportShow shows the public report page: one screen, no account and no
// JavaScript needed, saying plainly what is kept, who sees it and when it is deleted.
func (s *Server) responseReportShow(w http.ResponseWriter, r *http.Request) {
	f := newForm("report", reportInputs)
	f.Values["when"] = "now"
	s.renderReportForm(w, r, http.StatusOK, f, false)
}

// renderReportForm renders the public report page with status.
func (s *Server) renderReportForm(w http.ResponseWriter, r *http.Request, status int, f *form, sealed bool) {
	phone, falseAlarm, err := s.Response.RetentionDays(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "response_report", "response_intake.report.title", reportPublicPage{
		Form: f, Choices: reportChoices(), Sealed: sealed, Hotline: s.Config.SMSFrom, PhoneDays: phone, FalseAlarmDays: falseAlarm,
	})
}

// responseReportThanks thanks a reporter. It is the one answer to every report accepted
// past the rate limits, whatever happened to it (stored, grouped with similar reports, or
// caught by the honeypot), so it says nothing about whether a report exists.
func (s *Server) responseReportThanks(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "response_report_thanks", "response_intake.thanks.title", nil)
}
