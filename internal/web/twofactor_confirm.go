package web

import "net/http"

// recoveryPage shows fresh recovery codes, once.
type recoveryPage struct {
	Codes []string
	Next  string
}

// twoFactorConfirm turns the authenticator app on with its first code. A first factor
// brings ten recovery codes, shown once on the answer; a session that had to enrol is
// signed in with a fresh token. A wrong code shows the same QR code again.
func (s *Server) twoFactorConfirm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	next := twoFactorNext(r, r.PostFormValue("next"))
	token := sessionToken(r)
	e, err := s.Auth.ConfirmTOTP(r.Context(), token, r.PostFormValue("code"))
	switch {
	case err == nil:
	case invalid(err):
		f := newForm("totp", twoFactorInputs)
		f.add(err)
		setup, serr := s.Auth.PendingTOTP(r.Context(), token)
		if invalid(serr) { // timed out: start over with a new secret
			setup, serr = s.Auth.BeginTOTP(r.Context(), token)
		}
		if serr != nil {
			s.enrolRefused(w, r, serr, next)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "two_factor_setup", "signin.two_factor.title", newTwoFactorPage(r, setup, next, f))
		return
	case unauthenticated(err):
		s.enrolRefused(w, r, err, next)
		return
	default:
		s.fail(w, r, err)
		return
	}
	if e.SignedIn != nil {
		s.setSession(w, *e.SignedIn)
	}
	if len(e.RecoveryCodes) == 0 {
		s.redirect(w, r, next, "signin.flash.totp_on")
		return
	}
	if e.SignedIn != nil {
		s.signedInNow(r, e.SignedIn.Token)
	}
	s.flash(w, "signin.flash.totp_on")
	s.render(w, r, http.StatusOK, "recovery_codes", "signin.recovery.title", recoveryPage{Codes: e.RecoveryCodes, Next: next})
}

// signedInNow lets the rest of this request act as the session just signed in, so that
// the page answering it (the recovery codes) shows the signed-in navigation.
func (s *Server) signedInNow(r *http.Request, token string) {
	if a, err := s.Auth.Session(r.Context(), token); err == nil {
		st := stateOf(r)
		st.actor, st.pending = a, ""
	}
}
