package web

import (
	"net/http"
	"strconv"
	"strings"

	"solidarity/internal/giving"
)

// givingPageForm is the donation page form as sent, or as stored.
type givingPageForm struct {
	Slug, TitleEn, TitleEs, StoryEn, StoryEs, ThanksEn, ThanksEs string
	Amounts, Currency, Frequency, Goal, Fund                     string
	AllowCustom, Published                                       bool
}

// givingReadPageForm reads the page form of a POST.
func givingReadPageForm(r *http.Request) givingPageForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return givingPageForm{Slug: v("slug"), TitleEn: v("title_en"), TitleEs: v("title_es"), StoryEn: v("story_en"),
		StoryEs: v("story_es"), ThanksEn: v("thanks_en"), ThanksEs: v("thanks_es"), Amounts: v("amounts"),
		Currency: v("currency"), Frequency: v("frequency"), Goal: v("goal"), Fund: v("fund"),
		AllowCustom: r.PostFormValue("allow_custom") == "yes", Published: r.PostFormValue("published") == "yes"}
}

// givingFormOfPage fills the form with a stored page.
func givingFormOfPage(p giving.Page) givingPageForm {
	amounts := make([]string, len(p.Amounts))
	for i, a := range p.Amounts {
		amounts[i] = givingPlainMoney(a)
	}
	f := givingPageForm{Slug: p.Slug, TitleEn: p.TitleEn, TitleEs: p.TitleEs, StoryEn: p.StoryEn, StoryEs: p.StoryEs,
		ThanksEn: p.ThanksEn, ThanksEs: p.ThanksEs, Amounts: strings.Join(amounts, ", "), Currency: p.Currency,
		Frequency: string(p.Frequency), AllowCustom: p.AllowCustom, Published: p.Published}
	if p.GoalCents > 0 {
		f.Goal = givingPlainMoney(p.GoalCents)
	}
	if p.FundID > 0 {
		f.Fund = strconv.FormatInt(p.FundID, 10)
	}
	return f
}

// givingPlainMoney writes cents as people type amounts: "25", "12.50".
func givingPlainMoney(cents int64) string {
	if cents%100 == 0 {
		return strconv.FormatInt(cents/100, 10)
	}
	return crmMoney(cents)
}

// Page is the form as the service takes it, or the field errors of amounts that cannot
// be read.
func (f givingPageForm) Page() (giving.Page, crmErrors) {
	p := giving.Page{Slug: f.Slug, TitleEn: f.TitleEn, TitleEs: f.TitleEs, StoryEn: f.StoryEn, StoryEs: f.StoryEs,
		ThanksEn: f.ThanksEn, ThanksEs: f.ThanksEs, Currency: f.Currency, Frequency: giving.Frequency(f.Frequency),
		AllowCustom: f.AllowCustom, Published: f.Published, FundID: crmID(f.Fund)}
	var fe crmErrors
	for _, item := range crmSplit(f.Amounts, ",;\n\r ") {
		cents, ok := giving.ParseAmount(item)
		if !ok {
			fe.list = append(fe.list, crmFieldError("amounts", "giving.page.amounts_format").list...)
			break
		}
		p.Amounts = append(p.Amounts, cents)
	}
	if f.Goal != "" {
		cents, ok := giving.ParseAmount(f.Goal)
		if !ok {
			fe.list = append(fe.list, crmFieldError("goal", "giving.page.goal_invalid").list...)
		}
		p.GoalCents = cents
	}
	return p, fe
}

// givingPagesPage is the data of the page list and of the page form.
type givingPagesPage struct {
	Pages       []giving.PageSummary
	ID          int64 // the page being changed; 0 for a new one
	Form        givingPageForm
	Errors      crmErrors
	Funds       []giving.Fund
	Currencies  []string
	Frequencies []giving.Frequency
}

// Money shows an amount in a page's currency.
func (givingPagesPage) Money(cents int64, currency string) string {
	return giving.GroupedAmount(cents, currency)
}

// Upper is a currency code as people read it.
func (givingPagesPage) Upper(s string) string { return strings.ToUpper(s) }

// givingRenderPageForm renders the new-page or edit-page form with its choices.
func (s *Server) givingRenderPageForm(w http.ResponseWriter, r *http.Request, status int, p givingPagesPage) {
	funds, err := s.Giving.Funds(r.Context(), actor(r), true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Funds, p.Currencies = funds, giving.Currencies
	p.Frequencies = []giving.Frequency{giving.FrequencyBoth, giving.FrequencyOnce, giving.FrequencyMonthly}
	title := "giving.pages.new_title"
	if p.ID != 0 {
		title = "giving.pages.edit_title"
	}
	s.render(w, r, status, "giving_pages_form", title, p)
}

// givingSavePage saves the page form as page id (0: a new one) and goes back to the list,
// or shows the form again with its errors.
func (s *Server) givingSavePage(w http.ResponseWriter, r *http.Request, id int64) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	form := givingReadPageForm(r)
	p, fe := form.Page()
	if fe.Any() {
		s.givingRenderPageForm(w, r, http.StatusUnprocessableEntity, givingPagesPage{ID: id, Form: form, Errors: fe})
		return
	}
	_, err := s.Giving.SavePage(r.Context(), actor(r), id, p)
	if fe, status, ok := crmInvalid(err, nil); ok {
		s.givingRenderPageForm(w, r, status, givingPagesPage{ID: id, Form: form, Errors: fe})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/giving/pages", "giving.pages.flash.saved")
}
