package web

import "net/http"

// forgotPage is the data of the "forgot your password" form.
type forgotPage struct {
	Form *form
}

// forgotInputs maps the reset service's fields to the form's inputs.
var forgotInputs = map[string]string{"email": "email"}

// passwordForgotShow asks for the e-mail address to send a reset link to.
func (s *Server) passwordForgotShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "password_forgot", "signin.forgot.title", forgotPage{Form: newForm("forgot", forgotInputs)})
}
