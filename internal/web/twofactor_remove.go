package web

import (
	"net/http"

	"solidarity/internal/errs"
)

// totpRemove turns one's authenticator app off. A role that needs two-step sign-in keeps
// its last factor: the refusal is shown on the account page.
func (s *Server) totpRemove(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.RemoveTOTP(r.Context(), actor(r)); err != nil {
		s.accountRefused(w, r, err)
		return
	}
	s.redirect(w, r, "/account", "signin.flash.totp_off")
}

// accountRefused shows a refused change to one's two-step sign-in (the last factor of a
// role that needs one, say) at the top of the account page.
func (s *Server) accountRefused(w http.ResponseWriter, r *http.Request, err error) {
	if c := errs.CodeOf(err); c != errs.CodeConflict && c != errs.CodeInvalid {
		s.fail(w, r, err)
		return
	}
	f := newForm("refused", nil)
	f.add(err)
	s.showAccount(w, r, statusOfErr(err), f)
}
