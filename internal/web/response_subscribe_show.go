package web

import (
	"net/http"

	"solidarity/internal/i18n"
	"solidarity/internal/response"
)

// responseSubscribePage is the data of the public alerts sign-up page.
type responseSubscribePage struct {
	Form  *form
	Langs []i18n.Lang
	// MaxZIPs is how many ZIP codes one subscription may cover.
	MaxZIPs int
}

// responseSubscribeInputs maps the service's fields to the form's inputs; the contact's
// input depends on the channel chosen.
func responseSubscribeInputs(channel string) map[string]string {
	contact := "phone"
	if channel == string(response.AlertEmail) {
		contact = "email"
	}
	return map[string]string{"contact": contact, "channel": "channel", "zips": "zips", "language": "language", "consent": "consent"}
}

// responseSubscribeShow shows the public alerts sign-up form: a phone or an e-mail
// address, ZIP codes, a language and consent in plain words (unchecked), and what is kept
// and why. It works without JavaScript.
func (s *Server) responseSubscribeShow(w http.ResponseWriter, r *http.Request) {
	f := newForm("alerts", responseSubscribeInputs("sms"))
	f.Values["channel"] = string(response.AlertSMS)
	f.Values["language"] = stateOf(r).lang
	s.renderSubscribe(w, r, http.StatusOK, f)
}

// renderSubscribe renders the sign-up form with status.
func (s *Server) renderSubscribe(w http.ResponseWriter, r *http.Request, status int, f *form) {
	s.render(w, r, status, "response_subscribe", "alerts.subscribe.title",
		responseSubscribePage{Form: f, Langs: i18n.Langs, MaxZIPs: response.MaxZIPs})
}
