package web

import "net/http"

// givingThanksPage is the data of the page Stripe Checkout returns a donor to.
type givingThanksPage struct {
	Title   string
	Message []string // the page's own thank-you message, in paragraphs
	Slug    string
}

// givingPublicThanks thanks a donor back from Checkout with the page's own message. The
// address carries nothing about the donor or the payment; the receipt comes by e-mail
// once Stripe confirms it.
func (s *Server) givingPublicThanks(w http.ResponseWriter, r *http.Request) {
	lang := stateOf(r).lang
	pp, err := s.Giving.PageBySlug(r.Context(), actor(r), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "giving_public_thanks", "give.thanks.title", givingThanksPage{
		Title: pp.Title(lang), Message: givingParagraphs(pp.Thanks(lang)), Slug: pp.Slug,
	})
}
