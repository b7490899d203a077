package web

import "net/http"

// secondFactorSubmit checks a code from the authenticator app or a recovery code and, when
// it is right, signs the session in with a fresh token.
func (s *Server) secondFactorSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	next := safeNext(r.PostFormValue("next"))
	token := sessionToken(r)
	g, err := s.Auth.VerifySecondFactor(r.Context(), token, r.PostFormValue("code"))
	if err == nil {
		s.setSession(w, g)
		s.redirect(w, r, next, "signin.flash.welcome")
		return
	}
	if !invalid(err) {
		s.restartSignIn(w, r, err)
		return
	}
	// Too many wrong codes lock the account and end this session: start again later.
	p, perr := s.Auth.PendingSession(r.Context(), token)
	if perr != nil {
		if unauthenticated(perr) {
			s.clearSession(w)
			s.redirect(w, r, "/login", "signin.second_factor.locked")
			return
		}
		s.fail(w, r, perr)
		return
	}
	f := newForm("code", secondFactorInputs)
	f.add(err)
	page := secondFactorPage{Pending: p, Next: next, Form: f, Recovery: r.PostFormValue("method") == "recovery" || !p.TOTP}
	s.render(w, r, http.StatusUnprocessableEntity, "second_factor", "signin.second_factor.title", page)
}
