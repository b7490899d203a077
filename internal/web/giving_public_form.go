package web

import (
	"net/http"
	"strconv"
	"strings"

	"solidarity/internal/errs"
	"solidarity/internal/giving"
	"solidarity/internal/i18n"
)

// The origins the giving pages send donors on to: Stripe Checkout (donation and dues
// forms) and Stripe's billing portal (updating a card). Their pages' form-action allows
// them (allowFormTargets).
const (
	givingCheckoutOrigin = "https://checkout.stripe.com"
	givingPortalOrigin   = "https://billing.stripe.com"
)

// givingHoneypot is the input people never see and robots fill in.
const givingHoneypot = "website"

// givingGiftInputs maps the giving service's fields to the donation form's inputs.
var givingGiftInputs = map[string]string{
	"amount": "amount", "custom": "custom", "frequency": "frequency", "given_name": "given_name",
	"family_name": "family_name", "email": "email", "language": "language",
}

// givingAmount is one suggested amount of a donation page.
type givingAmount struct {
	Value string // cents, the form value
	Label string // "$25"
}

// givingPublicPage is the data of a donation page.
type givingPublicPage struct {
	Page    giving.PublicPage
	Form    *form
	Langs   []i18n.Lang
	Title   string
	Story   []string // paragraphs
	Amounts []givingAmount
	Raised  string
	Goal    string
	Min     string // the smallest gift, "$1"
	Max     string
}

// givingParagraphs cuts text typed in a box into paragraphs at blank lines; the page shows
// each as plain text (no markup is ever taken from a page's story).
func givingParagraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// givingReadGift reads the donation form of a POST into f.
func givingReadGift(r *http.Request, f *form) {
	for _, name := range []string{"amount", "custom", "frequency", "given_name", "family_name", "email", "language"} {
		f.Values[name] = field(r, name)
	}
	if r.PostFormValue("email_opt_in") != "" {
		f.Values["email_opt_in"] = "yes"
	}
}

// givingRenderPage renders the donation page of slug with form f (a fresh one when nil).
// Its form may go on to Stripe Checkout.
func (s *Server) givingRenderPage(w http.ResponseWriter, r *http.Request, status int, slug string, f *form) {
	lang := stateOf(r).lang
	pp, err := s.Giving.PageBySlug(r.Context(), actor(r), slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f == nil {
		f = newForm("give", givingGiftInputs)
		f.Values["language"] = lang
		if pp.Offers(giving.FrequencyOnce) {
			f.Values["frequency"] = string(giving.FrequencyOnce)
		} else {
			f.Values["frequency"] = string(giving.FrequencyMonthly)
		}
	}
	p := givingPublicPage{Page: pp, Form: f, Langs: i18n.Langs, Title: pp.Title(lang), Story: givingParagraphs(pp.Story(lang)),
		Min: giving.GroupedAmount(giving.MinAmountCents, pp.Currency), Max: giving.GroupedAmount(giving.MaxAmountCents, pp.Currency)}
	for _, a := range pp.Amounts {
		p.Amounts = append(p.Amounts, givingAmount{Value: strconv.FormatInt(a, 10), Label: giving.GroupedAmount(a, pp.Currency)})
	}
	if pp.GoalCents > 0 {
		p.Raised = giving.GroupedAmount(pp.Progress.RaisedCents, pp.Currency)
		p.Goal = giving.GroupedAmount(pp.GoalCents, pp.Currency)
	}
	allowFormTargets(w, givingCheckoutOrigin)
	s.render(w, r, status, "giving_public_page", "give.page.title", p)
}

// givingFormFailed reports whether err is something the donation or dues form shows at its
// top or next to its inputs (bad input, card giving off, Stripe out of reach), with the
// status to answer.
func givingFormFailed(err error) (int, bool) {
	switch {
	case invalid(err):
		return http.StatusUnprocessableEntity, true
	case errs.CodeOf(err) == errs.CodeConflict:
		return http.StatusConflict, true
	case errKey(err) == "giving.checkout.failed":
		return http.StatusServiceUnavailable, true
	}
	return 0, false
}
