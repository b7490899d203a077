package web

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"solidarity/internal/auth"
)

// twoFactorPage is the data of the two-step set-up page: an authenticator app (QR code,
// the same secret as text, and a field for its first code) and, with JavaScript, a passkey.
type twoFactorPage struct {
	Enrol  bool // the session must enrol a factor before it is signed in
	TOTPOn bool // an authenticator app is already set up
	QR     template.URL
	Secret string // grouped by four for reading and typing
	Next   string // where the person goes once done
	Form   *form
}

// twoFactorInputs maps the service's fields to the page's inputs.
var twoFactorInputs = map[string]string{"code": "code"}

// twoFactorNext is where enrolment leads: back to the account page for someone signed in,
// or on to the page they were signing in for.
func twoFactorNext(r *http.Request, asked string) string {
	if actor(r).Kind == auth.KindAccount {
		return "/account"
	}
	return safeNext(asked)
}

// newTwoFactorPage builds the page around an authenticator-app set-up.
func newTwoFactorPage(r *http.Request, setup auth.TOTPSetup, next string, f *form) twoFactorPage {
	return twoFactorPage{
		Enrol:  stateOf(r).pending == auth.KeySessionEnrol,
		QR:     template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(setup.QR)),
		Secret: groupSecret(setup.Secret),
		Next:   next,
		Form:   f,
	}
}

// groupSecret writes a base32 secret in groups of four, as authenticator apps accept it.
func groupSecret(secret string) string {
	var b strings.Builder
	for i, c := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// twoFactorShow starts setting up an authenticator app for a signed-in session or one that
// must enrol before signing in. The secret lives on the server until it is confirmed; the
// page shows it once as a QR code image and as text, never in an address.
func (s *Server) twoFactorShow(w http.ResponseWriter, r *http.Request) {
	next := twoFactorNext(r, r.URL.Query().Get("next"))
	setup, err := s.Auth.BeginTOTP(r.Context(), sessionToken(r))
	switch {
	case err == nil:
		s.render(w, r, http.StatusOK, "two_factor_setup", "signin.two_factor.title", newTwoFactorPage(r, setup, next, newForm("totp", twoFactorInputs)))
	case errKey(err) == "auth.totp.enabled":
		page := twoFactorPage{Enrol: stateOf(r).pending == auth.KeySessionEnrol, TOTPOn: true, Next: next, Form: newForm("totp", twoFactorInputs)}
		s.render(w, r, http.StatusOK, "two_factor_setup", "signin.two_factor.title", page)
	default:
		s.enrolRefused(w, r, err, next)
	}
}

// enrolRefused sends a session that may not enrol to the step it needs: its second factor
// first when it has one, else the start of sign-in.
func (s *Server) enrolRefused(w http.ResponseWriter, r *http.Request, err error, next string) {
	if errKey(err) == auth.KeySessionSecondFactor {
		http.Redirect(w, r, "/login/second-factor?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	s.restartSignIn(w, r, err)
}
