package web

import (
	"net/http"

	"solidarity/internal/errs"
)

// passwordResetSubmit sets the new password of a reset link. Both entries must match; the
// password rules are the service's. Every session of the account ends, so the person signs
// in again with the new password.
func (s *Server) passwordResetSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	page := resetPage{Action: r.URL.Path, Form: newForm("reset", newPasswordInputs)}
	password := r.PostFormValue("password")
	err := confirmMatches(password, r.PostFormValue("confirm"))
	if err == nil {
		err = s.Auth.ResetPassword(r.Context(), r.PathValue("token"), password)
	}
	switch {
	case err == nil:
		s.clearSession(w)
		s.redirect(w, r, "/login", "signin.reset.done")
		return
	case gone(err):
		page.Problem = errKey(err)
	case invalid(err):
		page.Form.add(err)
	default:
		s.fail(w, r, err)
		return
	}
	s.render(w, r, statusOfErr(err), "password_reset", "signin.reset.title", page)
}

// confirmMatches checks that a new password was typed the same twice: a typo in a hidden
// field would lock the person out.
func confirmMatches(password, confirm string) error {
	if password != confirm {
		return errs.Invalid("confirm", "signin.password.mismatch")
	}
	return nil
}

// gone reports whether err says a link (reset or invitation) is unknown, used or expired.
func gone(err error) bool { return errs.CodeOf(err) == errs.CodeNotFound }

// statusOfErr is the HTTP status of a service error, 200 for none.
func statusOfErr(err error) int {
	if err == nil {
		return http.StatusOK
	}
	return statusOf(errs.CodeOf(err))
}
