package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/giving"
)

// givsGiftForm is the offline gift form as sent.
type givsGiftForm struct {
	Date, Amount, Currency, Method, Fund, Page, Reference string
	Person, Email, GivenName, FamilyName, Language        string
}

// givsGiftFormPage is the data of the offline gift form.
type givsGiftFormPage struct {
	givsLabels
	Form       givsGiftForm
	Errors     crmErrors
	Funds      []giving.Fund
	Pages      []giving.PageSummary
	Methods    []giving.Method
	Currencies []string
	Today      string
}

// givsGiftNew shows the form staff record a gift received offline with: cash, a check, a
// bank transfer. ?person=<id> fills the donor in (from the person's gifts page).
func (s *Server) givsGiftNew(w http.ResponseWriter, r *http.Request) {
	f := givsGiftForm{Date: s.givsToday(), Currency: "usd", Method: string(giving.MethodCash), Language: stateOf(r).lang}
	if id := crmID(r.URL.Query().Get("person")); id > 0 {
		f.Person = strconv.FormatInt(id, 10)
	}
	s.renderGiftForm(w, r, http.StatusOK, givsGiftFormPage{Form: f})
}

// renderGiftForm renders the offline gift form with its choices.
func (s *Server) renderGiftForm(w http.ResponseWriter, r *http.Request, status int, p givsGiftFormPage) {
	var err error
	if p.Funds, err = s.Giving.Funds(r.Context(), actor(r), true); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Pages, err = s.Giving.Pages(r.Context(), actor(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Methods, p.Currencies, p.Today = giving.OfflineMethods, giving.Currencies, s.givsToday()
	s.render(w, r, status, "giving_staff_gift_form", "givs.record.title", p)
}
