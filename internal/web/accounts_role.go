package web

import (
	"net/http"

	"solidarity/internal/auth"
)

// adminAccountRole changes an account's role. The service ends the account's sessions (so
// the new role's rules apply from its next sign-in), refuses the actor's own role and the
// last administrator's, and audits the change.
func (s *Server) adminAccountRole(w http.ResponseWriter, r *http.Request) {
	id, err := adminPathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	role := r.PostFormValue("role")
	err = s.Auth.SetRole(r.Context(), actor(r), id, auth.Role(role))
	if fe, ok := adminInvalid(err, nil); ok {
		s.renderAccount(w, r, http.StatusUnprocessableEntity, role, fe)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, adminAccountURL(id), "admin.account.flash.role")
}
