package web

import (
	"html/template"
	"net/http"
	"strings"

	"solidarity/internal/giving"
	"solidarity/internal/i18n"
)

// givsReportForm is the report's query as typed.
type givsReportForm struct{ From, To, Group, Currency string }

// givsReportPage is the data of the reports page.
type givsReportPage struct {
	givsLabels
	Form   givsReportForm
	Errors crmErrors
	Report giving.Report
	// Chart is the server-drawn SVG of the series; the page shows the same figures in a
	// table under it.
	Chart  template.HTML
	Groups []giving.Grouping
	// GiftsURL opens the gift list on the report's period.
	GiftsURL string
	// Dates are the days the MRR and donor figures speak of, for their labels.
	Dates map[string]any
}

// givsReports is the donor report: totals by day, month or year over a period (with a
// chart drawn on the server and its data table), by page, fund and method, monthly
// recurring revenue and its change, and new, retained, returning and lapsed donors.
func (s *Server) givsReports(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	p := givsReportPage{Form: givsReportForm{From: get("from"), To: get("to"), Group: get("group"), Currency: get("currency")},
		Groups: []giving.Grouping{giving.ByDay, giving.ByMonth, giving.ByYear}}
	q := giving.ReportQuery{Group: giving.Grouping(p.Form.Group), Currency: strings.ToLower(p.Form.Currency)}
	var ok bool
	if q.From, ok = adminParseDate(p.Form.From); !ok {
		p.Errors = crmFieldError("from", "giving.report.date_invalid")
	} else if q.To, ok = adminParseDate(p.Form.To); !ok {
		p.Errors = crmFieldError("to", "giving.report.date_invalid")
	}
	status := http.StatusOK
	if p.Errors.Any() {
		status = http.StatusUnprocessableEntity
		q.From, q.To = giving.ReportQuery{}.From, giving.ReportQuery{}.To // show the default period under the errors
	}
	rep, err := s.Giving.Report(r.Context(), actor(r), q)
	if fe, st, isField := crmInvalid(err, nil); isField {
		p.Errors, status = fe, st
		q = giving.ReportQuery{}
		rep, err = s.Giving.Report(r.Context(), actor(r), q)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Report = rep
	if !p.Errors.Any() {
		p.Form = givsReportForm{From: givsDate(rep.Query.From), To: givsDate(rep.Query.To), Group: string(rep.Query.Group), Currency: rep.Query.Currency}
	}
	d := rep.Donors
	p.Dates = map[string]any{"From": givsDate(d.From), "To": givsDate(d.To), "PreviousFrom": givsDate(d.PreviousFrom),
		"PreviousTo": givsDate(d.PreviousTo), "At": givsDate(rep.MRR.At), "Before": givsDate(rep.MRR.PreviousAt)}
	p.Chart = givsChart(s.Catalog.Localizer(stateOf(r).lang), rep)
	p.GiftsURL = "/giving/gifts?" + givsFilter{From: givsDate(rep.Query.From), To: givsDate(rep.Query.To)}.Values().Encode()
	s.render(w, r, status, "giving_staff_reports", "givs.reports.title", p)
}

// givsChart draws the report's series, its words in the page's language. The SVG is built
// by giving.Chart, which escapes every text it prints.
func givsChart(t *i18n.Localizer, rep giving.Report) template.HTML {
	data := map[string]any{"From": givsDate(rep.Query.From), "To": givsDate(rep.Query.To), "Total": rep.Total.Net(),
		"Group": t.T("givs.reports.group." + string(rep.Query.Group))}
	svg := giving.Chart(rep.Series, giving.ChartText{
		ID:    "givs-chart",
		Title: t.T("givs.reports.chart_title", data),
		Desc:  t.T("givs.reports.chart_desc", data),
		Bar: func(b giving.Bucket) string {
			return t.T("givs.reports.chart_bar", map[string]any{"Key": b.Key, "Net": b.Net(), "Count": b.Count})
		},
	})
	return template.HTML(svg) // #nosec G203 -- built and escaped by giving.Chart
}
