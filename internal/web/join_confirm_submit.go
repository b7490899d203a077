package web

import (
	"net/http"
	"net/url"
)

// joinConfirmSubmit confirms the address of a Join (double opt-in) and shows, in the
// person's language, what that changed. A used, expired or unknown link gets 404 and
// the advice to ask for a new one.
func (s *Server) joinConfirmSubmit(w http.ResponseWriter, r *http.Request) {
	res, err := s.People.ConfirmEmail(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := url.Values{}
	if res.Language != "" {
		q.Set("lang", res.Language)
	}
	if res.EmailConsent {
		q.Set("news", "1")
	}
	switch {
	case res.MembershipActive:
		q.Set("membership", "active")
	case res.PaymentDue:
		q.Set("membership", "dues")
	}
	http.Redirect(w, r, "/join/confirmed?"+q.Encode(), http.StatusSeeOther)
}
