package web

import (
	"net/http"
	"strconv"
	"strings"

	"solidarity/internal/errs"
	"solidarity/internal/giving"
)

// givingStatementSentPath is where every accepted request ends.
const givingStatementSentPath = "/giving/statement/sent"

// givingStatementSubmit mails the annual statement to the donor who has the address, if
// any. Everyone gets the same answer, whether the address is known or not, and every
// answer past the rate limits (sent, bad input, honeypot) is held to the same floor
// (public_timing.go), so that its time does not tell either. Limits: per client, per
// address (a request mails someone) and for everyone; over one, the form comes back with
// 429 and the wait. A filled-in honeypot gets the answer of a success and sends nothing.
func (s *Server) givingStatementSubmit(w http.ResponseWriter, r *http.Request) {
	clock := evenTiming.start(r)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm("statement", givingStatementInputs)
	f.Values["email"], f.Values["year"] = field(r, "email"), field(r, "year")
	wait, err := s.overPublicLimit(r.Context(),
		publicLimit{"giving.statement.client", clientKey(r), giving.StatementClientLimit, giving.StatementClientWindow},
		publicLimit{"giving.statement.email", strings.ToLower(f.Values["email"]), giving.StatementEmailLimit, giving.StatementEmailWindow},
		publicLimit{"giving.statement.global", "everyone", giving.StatementGlobalLimit, giving.StatementGlobalWindow})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if wait > 0 {
		publicTooMany(w, f, wait)
		s.renderStatementForm(w, r, http.StatusTooManyRequests, f)
		return
	}
	if r.PostFormValue(givingStatementHoneypot) != "" {
		clock.hold()
		http.Redirect(w, r, givingStatementSentPath, http.StatusSeeOther)
		return
	}
	year, err := strconv.Atoi(f.Values["year"])
	if err != nil {
		year = 0 // the service refuses it
	}
	err = s.Giving.RequestStatement(r.Context(), f.Values["email"], year)
	clock.hold()
	if err != nil {
		if !invalid(err) {
			s.fail(w, r, err)
			return
		}
		f.add(err)
		s.renderStatementForm(w, r, statusOf(errs.CodeOf(err)), f)
		return
	}
	http.Redirect(w, r, givingStatementSentPath, http.StatusSeeOther)
}

// givingStatementSent is the one answer to an accepted request.
func (s *Server) givingStatementSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "giving_receipt_statement_sent", "giving.statement.form.sent_title", nil)
}
