package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/errs"
	"solidarity/internal/giving"
	"solidarity/internal/i18n"
	"solidarity/internal/people"
)

// givingDuesInputs maps the giving service's fields to the dues form's inputs.
var givingDuesInputs = map[string]string{
	"given_name": "given_name", "family_name": "family_name", "email": "email", "language": "language",
}

// givingDuesPage is the data of a tier's dues page.
type givingDuesPage struct {
	Tier       publicTier
	Form       *form
	Langs      []i18n.Lang
	CardGiving bool
	Recurring  bool // the dues renew by themselves (monthly or yearly)
}

// givingRenderDues renders the dues page of the path's tier with form f (a fresh one when
// nil); anything but a paid, active tier is a 404. Its form goes on to Stripe Checkout.
func (s *Server) givingRenderDues(w http.ResponseWriter, r *http.Request, status int, f *form) {
	id, err := strconv.ParseInt(r.PathValue("tier"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, errs.NotFound("giving.dues.tier_unknown"))
		return
	}
	t, err := s.Giving.DuesTier(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f == nil {
		f = newForm("dues", givingDuesInputs)
		f.Values["language"] = stateOf(r).lang
	}
	p := givingDuesPage{Tier: publicTiers([]people.Tier{t}, stateOf(r).lang)[0], Form: f, Langs: i18n.Langs,
		CardGiving: s.Giving.CardGiving(), Recurring: t.Period == people.PeriodMonthly || t.Period == people.PeriodYearly}
	allowFormTargets(w, givingCheckoutOrigin)
	s.render(w, r, status, "giving_public_dues", "give.dues.title", p)
}

// givingPublicDuesShow shows the page that pays a paid tier's dues: the tier, its price
// and period, and a form asking who pays. It is where the Join page's thank-you page and
// renewal reminders send members; it shows nothing about any person.
func (s *Server) givingPublicDuesShow(w http.ResponseWriter, r *http.Request) {
	s.givingRenderDues(w, r, http.StatusOK, nil)
}

// givingPublicDuesSubmit takes the dues form and sends the payer on to Stripe Checkout,
// with the same rate limits and honeypot as the donation form.
func (s *Server) givingPublicDuesSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm("dues", givingDuesInputs)
	for _, name := range []string{"given_name", "family_name", "email", "language"} {
		f.Values[name] = field(r, name)
	}
	if r.PostFormValue("email_opt_in") != "" {
		f.Values["email_opt_in"] = "yes"
	}
	wait, err := s.overPublicLimit(r.Context(),
		publicLimit{"give.client", clientKey(r), giving.GiveClientLimit, giving.GiveClientWindow},
		publicLimit{"give.global", "everyone", giving.GiveGlobalLimit, giving.GiveGlobalWindow})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if wait > 0 {
		publicTooMany(w, f, wait)
		s.givingRenderDues(w, r, http.StatusTooManyRequests, f)
		return
	}
	tier, err := strconv.ParseInt(r.PathValue("tier"), 10, 64)
	if err != nil || tier <= 0 {
		s.fail(w, r, errs.NotFound("giving.dues.tier_unknown"))
		return
	}
	if r.PostFormValue(givingHoneypot) != "" {
		http.Redirect(w, r, giving.DuesPath+strconv.FormatInt(tier, 10)+"/thanks", http.StatusSeeOther)
		return
	}
	start, err := s.Giving.StartDues(r.Context(), giving.DuesRequest{
		TierID: tier, GivenName: f.Values["given_name"], FamilyName: f.Values["family_name"], Email: f.Values["email"],
		Language: f.Values["language"], EmailOptIn: f.Values["email_opt_in"] != "",
	})
	if err != nil {
		if status, ok := givingFormFailed(err); ok {
			f.add(err)
			s.givingRenderDues(w, r, status, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	allowFormTargets(w, givingCheckoutOrigin)
	http.Redirect(w, r, start.URL, http.StatusSeeOther)
}

// givingPublicDuesThanks thanks a member back from Checkout: the membership becomes
// active when Stripe confirms the payment, and the receipt says so by e-mail.
func (s *Server) givingPublicDuesThanks(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("tier"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, errs.NotFound("giving.dues.tier_unknown"))
		return
	}
	t, err := s.Giving.DuesTier(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "giving_public_dues_thanks", "give.dues.thanks_title", publicTiers([]people.Tier{t}, stateOf(r).lang)[0])
}
