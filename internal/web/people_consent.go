package web

import (
	"net/http"

	"solidarity/internal/people"
)

// peopleConsent records a consent decision that staff took down (on the phone, on
// paper): the method is "staff", and the time is now.
func (s *Server) peopleConsent(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	ch, st := people.Channel(r.PostFormValue("channel")), people.ConsentStatus(r.PostFormValue("status"))
	if err := s.People.SetConsent(r.Context(), actor(r), id, ch, st); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, crmPersonURL(id)+"#person-consent", "crm.consent.flash.saved")
}
