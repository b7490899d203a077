package web

import (
	"net/http"

	"solidarity/internal/errs"
)

// adminVaultUnseal opens the vault on this node (and, when it was sealed for all nodes,
// reopens it for the others) with the passphrase or key file. Attempts are rate-limited
// per administrator; wrong secrets are audited as vault.unseal_failed, successes as
// vault.unseal.
func (s *Server) adminVaultUnseal(w http.ResponseWriter, r *http.Request) {
	if !s.adminUnsealAllowed(w, r) {
		return
	}
	f, err := readVaultForm(r)
	if err != nil {
		s.adminVaultFail(w, r, err)
		return
	}
	defer f.wipe()
	secret := f.secret("passphrase", "key_file")
	defer secret.Wipe()
	a := actor(r)
	if err := s.Vault.Unseal(r.Context(), secret); err != nil {
		if errs.CodeOf(err) == errs.CodeInvalid {
			if rerr := s.adminRecord(r.Context(), a, "vault.unseal_failed", "vault", ""); rerr != nil {
				s.fail(w, r, rerr)
				return
			}
		}
		s.adminVaultFail(w, r, err)
		return
	}
	if err := s.adminRecord(r.Context(), a, "vault.unseal", "vault", ""); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/vault", "admin.vault.flash.unsealed")
}
