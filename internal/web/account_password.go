package web

import "net/http"

// accountPassword changes one's password, given the current one. Every other session of
// the account ends; this one stays.
func (s *Server) accountPassword(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	err := s.Auth.ChangePassword(r.Context(), actor(r), r.PostFormValue("current"), r.PostFormValue("password"))
	if err != nil {
		if !invalid(err) {
			s.fail(w, r, err)
			return
		}
		f := newForm("password", accountPasswordInputs)
		f.add(err)
		s.showAccount(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	s.redirect(w, r, "/account", "signin.flash.password_changed")
}
