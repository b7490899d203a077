package web

import (
	"net/http"
	"strconv"
	"strings"

	"solidarity/internal/people"
)

// crmTierForm is the membership tier form as sent, or as stored.
type crmTierForm struct {
	NameEn, NameEs, Amount, Currency, Period, Position string
	Active                                             bool
}

// crmReadTier reads the tier form of a POST.
func crmReadTier(r *http.Request) crmTierForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return crmTierForm{NameEn: v("name_en"), NameEs: v("name_es"), Amount: v("amount"), Currency: v("currency"),
		Period: v("period"), Position: v("position"), Active: r.PostFormValue("active") == "yes"}
}

// crmFormOfTier fills the form with a stored tier.
func crmFormOfTier(t people.Tier) crmTierForm {
	return crmTierForm{NameEn: t.NameEn, NameEs: t.NameEs, Amount: crmMoney(t.AmountCents), Currency: t.Currency,
		Period: string(t.Period), Position: strconv.Itoa(t.Position), Active: t.Active}
}

// Tier is the form as the service takes it, or the field error of a number that cannot
// be read.
func (f crmTierForm) Tier() (people.Tier, crmErrors) {
	t := people.Tier{NameEn: f.NameEn, NameEs: f.NameEs, Currency: f.Currency, Period: people.Period(f.Period), Active: f.Active}
	cents, ok := crmParseMoney(f.Amount)
	if !ok {
		return t, crmFieldError("amount", "crm.tier.amount_format")
	}
	t.AmountCents = cents
	if f.Position != "" {
		n, err := strconv.Atoi(f.Position)
		if err != nil || n < 0 || n > 10000 {
			return t, crmFieldError("position", "crm.position_invalid")
		}
		t.Position = n
	}
	return t, crmErrors{}
}

// crmParseMoney reads an amount like "25", "25.5" or "1,200.00" as cents; "" is zero.
func crmParseMoney(v string) (int64, bool) {
	v = strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(v), ",", ""), " ", "")
	if v == "" {
		return 0, true
	}
	whole, frac, _ := strings.Cut(v, ".")
	if whole == "" {
		whole = "0"
	}
	if len(frac) > 2 || len(whole) > 12 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	c, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || w < 0 || c < 0 || strings.HasPrefix(frac, "-") {
		return 0, false
	}
	return w*100 + c, true
}

// crmMoney writes cents as an amount with two decimals.
func crmMoney(cents int64) string {
	return strconv.FormatInt(cents/100, 10) + "." + strconv.FormatInt(100+cents%100, 10)[1:]
}

// crmTiersPage is the data of the tiers page and of one tier's edit page.
type crmTiersPage struct {
	Tiers   []people.Tier
	ID      int64 // the tier being changed, or 0 on the list
	Form    crmTierForm
	Errors  crmErrors
	Periods []people.Period
}

// Money shows a tier's dues.
func (crmTiersPage) Money(cents int64) string { return crmMoney(cents) }

// renderTiers renders the tier list with the new-tier form, or (id set) a tier's edit page.
func (s *Server) renderTiers(w http.ResponseWriter, r *http.Request, status int, p crmTiersPage) {
	p.Periods = []people.Period{people.PeriodFree, people.PeriodMonthly, people.PeriodYearly, people.PeriodOnce}
	if p.ID != 0 {
		s.render(w, r, status, "admin_tier", "crm.tiers.edit_title", p)
		return
	}
	tiers, err := s.People.Tiers(r.Context(), false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Tiers = tiers
	s.render(w, r, status, "admin_tiers", "crm.tiers.title", p)
}
