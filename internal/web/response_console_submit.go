package web

import (
	"net/http"

	"solidarity/internal/errs"
)

// responseConsoleSubmit records a report taken by a hotline operator, then shows the
// console again, empty, with the new report at the top of the list.
func (s *Server) responseConsoleSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f, in := readReportForm(r, "console")
	_, err := s.Response.TakeCall(r.Context(), actor(r), in)
	switch {
	case err == nil:
		s.redirect(w, r, "/response/console", "response.console.saved")
	case invalid(err):
		f.add(err)
		s.renderConsole(w, r, http.StatusUnprocessableEntity, f, false)
	case errs.CodeOf(err) == errs.CodeSealed:
		s.renderConsole(w, r, http.StatusServiceUnavailable, f, true)
	default:
		s.fail(w, r, err)
	}
}
