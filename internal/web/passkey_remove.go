package web

import (
	"net/http"
	"strconv"
)

// passkeyRemove removes one of one's passkeys; like totpRemove, a role that needs two-step
// sign-in keeps its last factor.
func (s *Server) passkeyRemove(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	if err := s.Auth.RemovePasskey(r.Context(), actor(r), id); err != nil {
		s.accountRefused(w, r, err)
		return
	}
	s.redirect(w, r, "/account", "signin.flash.passkey_removed")
}
