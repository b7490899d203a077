package web

import "net/http"

// adminVaultRotate makes a new field key current; a background job re-encrypts existing
// values with it and retires the old versions. It needs this node unsealed. Audited as
// vault.rotate.
func (s *Server) adminVaultRotate(w http.ResponseWriter, r *http.Request) {
	if err := s.Vault.Rotate(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.adminRecord(r.Context(), actor(r), "vault.rotate", "vault", ""); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/vault", "admin.vault.flash.rotated")
}
