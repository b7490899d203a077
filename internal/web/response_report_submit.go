package web

import (
	"net/http"

	"solidarity/internal/errs"
	"solidarity/internal/response"
)

// responseReportSubmit takes a report from the public page. Over a rate limit (per client,
// or for everyone) the form comes back with 429 and the wait; bad input comes back with
// every problem at once (422). A filled-in honeypot, a report grouped by flood detection and
// a stored report all get the same redirect to the same thank-you page, held to the same
// time floor, so that no answer tells whether a report exists. A sealed vault cannot take
// the report: the form comes back (503) with everything typed and the hotline to call.
func (s *Server) responseReportSubmit(w http.ResponseWriter, r *http.Request) {
	clock := evenTiming.start(r)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f, in := readReportForm(r, "report")
	in.Language = stateOf(r).lang
	wait, err := s.overPublicLimit(r.Context(),
		publicLimit{"report.client", clientKey(r), response.ReportClientLimit, response.ReportClientWindow},
		publicLimit{"report.global", "everyone", response.ReportGlobalLimit, response.ReportGlobalWindow})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if wait > 0 {
		publicTooMany(w, f, wait)
		s.renderReportForm(w, r, http.StatusTooManyRequests, f, false)
		return
	}
	if r.PostFormValue(reportHoneypot) != "" {
		clock.hold()
		http.Redirect(w, r, "/report/thanks", http.StatusSeeOther)
		return
	}
	err = s.Response.FileReport(r.Context(), in)
	clock.hold()
	switch {
	case err == nil:
		http.Redirect(w, r, "/report/thanks", http.StatusSeeOther)
	case invalid(err):
		f.add(err)
		s.renderReportForm(w, r, http.StatusUnprocessableEntity, f, false)
	case errs.CodeOf(err) == errs.CodeSealed:
		s.renderReportForm(w, r, http.StatusServiceUnavailable, f, true)
	default:
		s.fail(w, r, err)
	}
}
