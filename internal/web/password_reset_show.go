package web

import "net/http"

// resetPage is the data of the page behind a reset link: the form for the new password,
// or, when the link no longer works, why (Problem, a message key).
type resetPage struct {
	Action  string
	Problem string
	Form    *form
}

// newPasswordInputs maps the password rules' field to the new-password inputs.
var newPasswordInputs = map[string]string{"password": "password", "confirm": "confirm"}

// passwordResetShow shows the new-password form of a reset link that still works, and a
// clear message (and the way to ask for a new link) when it does not.
func (s *Server) passwordResetShow(w http.ResponseWriter, r *http.Request) {
	page := resetPage{Action: r.URL.Path, Form: newForm("reset", newPasswordInputs)}
	status := http.StatusOK
	if err := s.Auth.CheckReset(r.Context(), r.PathValue("token")); err != nil {
		if !gone(err) {
			s.fail(w, r, err)
			return
		}
		status, page.Problem = statusOfErr(err), errKey(err)
	}
	s.render(w, r, status, "password_reset", "signin.reset.title", page)
}
