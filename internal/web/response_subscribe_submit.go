package web

import (
	"net/http"

	"solidarity/internal/response"
)

// responseSubscribeHoneypot is the input people never see and robots fill in.
const responseSubscribeHoneypot = "website"

// responseSubscribeSubmit signs someone up for alerts. Over a rate limit (per client, per
// phone or address, or for everyone) the form comes back with 429 and the wait. A filled-in
// honeypot gets exactly the answer of a success and stores nothing. Every success goes to
// the same page, whether the phone or address was subscribed already or not, and every
// answer past the rate limits is held to the same time floor, so that its timing does not
// tell either.
func (s *Server) responseSubscribeSubmit(w http.ResponseWriter, r *http.Request) {
	clock := evenTiming.start(r)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	channel := field(r, "channel")
	if channel != string(response.AlertEmail) {
		channel = string(response.AlertSMS)
	}
	f := newForm("alerts", responseSubscribeInputs(channel))
	for _, name := range []string{"phone", "email", "zips", "language"} {
		f.Values[name] = field(r, name)
	}
	f.Values["channel"] = channel
	if r.PostFormValue("consent") != "" {
		f.Values["consent"] = "yes"
	}
	contact := f.Values["phone"]
	if channel == string(response.AlertEmail) {
		contact = f.Values["email"]
	}
	ch := response.AlertChannel(channel)
	wait, err := s.overPublicLimit(r.Context(),
		publicLimit{"alerts.subscribe.client", clientKey(r), response.SubscribeClientLimit, response.SubscribeClientWindow},
		publicLimit{"alerts.subscribe.contact", response.SubscribeLimitKey(ch, contact), response.SubscribeContactLimit, response.SubscribeContactWindow},
		publicLimit{"alerts.subscribe.global", "everyone", response.SubscribeGlobalLimit, response.SubscribeGlobalWindow})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if wait > 0 {
		publicTooMany(w, f, wait)
		s.renderSubscribe(w, r, http.StatusTooManyRequests, f)
		return
	}
	thanks := "/alerts/thanks?via=" + channel
	if r.PostFormValue(responseSubscribeHoneypot) != "" {
		clock.hold()
		http.Redirect(w, r, thanks, http.StatusSeeOther)
		return
	}
	err = s.Response.Subscribe(r.Context(), response.SubscribeRequest{
		Contact: contact, Channel: ch, ZIPs: crmSplit(f.Values["zips"], crmListSeps+" \t"),
		Language: f.Values["language"], Consent: f.Values["consent"] != "",
	})
	clock.hold()
	if err != nil {
		if !invalid(err) {
			s.fail(w, r, err)
			return
		}
		f.add(err)
		s.renderSubscribe(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	http.Redirect(w, r, thanks, http.StatusSeeOther)
}
