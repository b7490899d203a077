package web

import (
	"net/http"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

// passwordForgotSubmit asks for a reset link. The answer is the same whether or not the
// address has an account ("if an account exists, we sent a link"); only a malformed
// address or a client over its budget hears otherwise.
func (s *Server) passwordForgotSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	email := field(r, "email")
	err := s.Auth.RequestReset(r.Context(), email, auth.Client{Key: clientKey(r), Agent: r.UserAgent()})
	if err == nil {
		s.redirect(w, r, "/password/forgot", "signin.forgot.sent")
		return
	}
	if !invalid(err) && errs.CodeOf(err) != errs.CodeTooMany {
		s.fail(w, r, err)
		return
	}
	f := newForm("forgot", forgotInputs)
	f.Values["email"] = email
	f.add(err)
	s.render(w, r, statusOf(errs.CodeOf(err)), "password_forgot", "signin.forgot.title", forgotPage{Form: f})
}
