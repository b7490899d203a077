package web

import (
	"net/http"
	"net/url"
	"strconv"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

// loginSubmit checks an e-mail and password. Every failure gets the same message, whether
// the address has an account or not; a client over its attempt budget is told how long to
// wait. A password alone may leave the session waiting for its second factor, or for
// enrolling one, and the person is sent to that step.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	next := safeNext(r.PostFormValue("next"))
	email := field(r, "email")
	g, err := s.Auth.SignIn(r.Context(), email, r.PostFormValue("password"), auth.Client{Key: clientKey(r), Agent: r.UserAgent()})
	if err != nil {
		f := newForm("login", loginInputs)
		f.Values["email"] = email
		status := statusOf(errs.CodeOf(err))
		switch {
		case errs.CodeOf(err) == errs.CodeTooMany:
			wait := windowLeft(s.DB.Now(), auth.ClientWindow)
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())))
			f.wait(wait)
		case invalid(err):
			f.add(err)
		default:
			s.fail(w, r, err)
			return
		}
		s.render(w, r, status, "login", "signin.login.title", loginPage{Form: f, Next: next})
		return
	}
	s.setSession(w, g)
	switch g.Stage {
	case auth.StageSecondFactor:
		http.Redirect(w, r, "/login/second-factor?next="+url.QueryEscape(next), http.StatusSeeOther)
	case auth.StageEnrol:
		http.Redirect(w, r, "/account/two-factor?next="+url.QueryEscape(next), http.StatusSeeOther)
	default:
		s.redirect(w, r, next, "signin.flash.welcome")
	}
}
