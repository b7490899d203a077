package web

import (
	"net/http"
	"strconv"
)

// responseAlertCreate sends the composed alert and opens its status page. A refused alert
// (report not confirmed, an address in the text, no subscriber in the area…) comes back to
// the compose page with the reason.
func (s *Server) responseAlertCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := readAlertForm(r)
	a, err := s.Response.CreateAlert(r.Context(), actor(r), f.request())
	if err != nil {
		fe, status, ok := crmInvalid(err, responseAlertRename)
		if !ok {
			s.fail(w, r, err)
			return
		}
		s.renderAlertCompose(w, r, status, responseAlertComposePage{Form: f, Errors: fe})
		return
	}
	s.redirect(w, r, "/response/alerts/"+strconv.FormatInt(a.ID, 10), "alerts.flash.sending")
}
