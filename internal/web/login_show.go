package web

import (
	"net/http"

	"solidarity/internal/auth"
)

// loginPage is the data of the sign-in form.
type loginPage struct {
	Form *form
	Next string
}

// loginInputs maps the sign-in service's fields to the form's inputs.
var loginInputs = map[string]string{"email": "email", "password": "password"}

// loginShow shows the sign-in form; someone already signed in goes straight on.
func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if actor(r).Kind == auth.KindAccount {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", "signin.login.title", loginPage{Form: newForm("login", loginInputs), Next: next})
}
