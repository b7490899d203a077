package web

import (
	"net/http"
	"strconv"
)

// givingStatementHoneypot is the input people never see and robots fill in.
const givingStatementHoneypot = "website"

// givingStatementInputs maps the statement service's fields to the form's inputs.
var givingStatementInputs = map[string]string{"email": "email", "year": "year"}

// givingStatementPage is the data of the public statement form.
type givingStatementPage struct {
	Form  *form
	Years []int
}

// givingStatementShow shows the public form where a donor asks for the annual statement of
// their gifts: an e-mail address and a year (last year by default, the one tax returns
// need).
func (s *Server) givingStatementShow(w http.ResponseWriter, r *http.Request) {
	f := newForm("statement", givingStatementInputs)
	years := s.Giving.StatementYears()
	f.Values["year"] = strconv.Itoa(years[0])
	if len(years) > 1 {
		f.Values["year"] = strconv.Itoa(years[1])
	}
	s.renderStatementForm(w, r, http.StatusOK, f)
}

// renderStatementForm renders the statement form with status.
func (s *Server) renderStatementForm(w http.ResponseWriter, r *http.Request, status int, f *form) {
	s.render(w, r, status, "giving_receipt_statement", "giving.statement.form.title", givingStatementPage{Form: f, Years: s.Giving.StatementYears()})
}
