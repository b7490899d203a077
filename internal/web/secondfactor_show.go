package web

import (
	"net/http"
	"net/url"

	"solidarity/internal/auth"
)

// secondFactorPage is the data of the second sign-in step.
type secondFactorPage struct {
	Pending auth.Pending
	// Recovery is set when the person chose to type a recovery code (a text input) rather
	// than a code from the app (a numeric one), or has no app.
	Recovery bool
	Next     string
	Form     *form
}

// SwitchURL is the address of the same step with the other kind of code.
func (p secondFactorPage) SwitchURL() string {
	q := url.Values{"next": {p.Next}}
	if !p.Recovery {
		q.Set("method", "recovery")
	}
	return "/login/second-factor?" + q.Encode()
}

// secondFactorInputs maps the service's fields to the step's inputs.
var secondFactorInputs = map[string]string{"code": "code"}

// secondFactorShow asks a session that gave its password for the second factor.
func (s *Server) secondFactorShow(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if actor(r).Kind == auth.KindAccount {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	p, err := s.Auth.PendingSession(r.Context(), sessionToken(r))
	if err != nil {
		s.restartSignIn(w, r, err)
		return
	}
	if p.Stage == auth.StageEnrol {
		http.Redirect(w, r, "/account/two-factor?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	page := secondFactorPage{Pending: p, Next: next, Form: newForm("code", secondFactorInputs),
		Recovery: r.URL.Query().Get("method") == "recovery" || !p.TOTP}
	s.render(w, r, http.StatusOK, "second_factor", "signin.second_factor.title", page)
}

// restartSignIn sends someone whose sign-in step cannot go on back to the start: their
// session ended, expired, or never was. Anything but a missing session is worth a word.
func (s *Server) restartSignIn(w http.ResponseWriter, r *http.Request, err error) {
	if !unauthenticated(err) {
		s.fail(w, r, err)
		return
	}
	flash := ""
	if sessionToken(r) != "" {
		s.clearSession(w)
		flash = "auth.session.expired"
	}
	s.redirect(w, r, "/login", flash)
}
