package web

import (
	"net/http"

	"solidarity/internal/giving"
)

// givingPublicSubmit takes a donation form and sends the donor on to Stripe Checkout
// (303). Over a rate limit (per client, or for everyone) the page comes back with 429 and
// the wait; a filled-in honeypot is sent to the thank-you page and nothing is stored. Bad
// input shows the form again with translated errors next to each field.
func (s *Server) givingPublicSubmit(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm("give", givingGiftInputs)
	givingReadGift(r, f)
	wait, err := s.overPublicLimit(r.Context(),
		publicLimit{"give.client", clientKey(r), giving.GiveClientLimit, giving.GiveClientWindow},
		publicLimit{"give.global", "everyone", giving.GiveGlobalLimit, giving.GiveGlobalWindow})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if wait > 0 {
		publicTooMany(w, f, wait)
		s.givingRenderPage(w, r, http.StatusTooManyRequests, slug, f)
		return
	}
	if r.PostFormValue(givingHoneypot) != "" {
		http.Redirect(w, r, giving.ThanksPath+slug, http.StatusSeeOther)
		return
	}
	start, err := s.Giving.StartGift(r.Context(), giving.GiftRequest{
		Slug: slug, Amount: f.Values["amount"], Custom: f.Values["custom"], Frequency: giving.Frequency(f.Values["frequency"]),
		GivenName: f.Values["given_name"], FamilyName: f.Values["family_name"], Email: f.Values["email"],
		Language: f.Values["language"], EmailOptIn: f.Values["email_opt_in"] != "",
	})
	if err != nil {
		if status, ok := givingFormFailed(err); ok {
			f.add(err)
			s.givingRenderPage(w, r, status, slug, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	allowFormTargets(w, givingCheckoutOrigin)
	http.Redirect(w, r, start.URL, http.StatusSeeOther)
}
