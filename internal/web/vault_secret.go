package web

import "net/http"

// adminVaultChangeSecret replaces the master secret with a new passphrase typed twice:
// the data keys are re-wrapped, the data itself is untouched. The current secret must
// open the vault, so attempts count toward the unseal rate limit. Audited as
// vault.change_secret.
func (s *Server) adminVaultChangeSecret(w http.ResponseWriter, r *http.Request) {
	if !s.adminUnsealAllowed(w, r) {
		return
	}
	f, err := readVaultForm(r)
	if err != nil {
		s.adminVaultFail(w, r, err)
		return
	}
	defer f.wipe()
	if f.values["new_passphrase"] != f.values["new_passphrase_confirm"] {
		s.renderVault(w, r, http.StatusUnprocessableEntity, adminFieldError("new_passphrase_confirm", "admin.vault.passphrase_mismatch"))
		return
	}
	current := f.secret("current_passphrase", "current_key_file")
	defer current.Wipe()
	next := f.secret("new_passphrase", "")
	defer next.Wipe()
	if err := s.Vault.ChangeSecret(r.Context(), current, next); err != nil {
		s.adminVaultFail(w, r, err)
		return
	}
	if err := s.adminRecord(r.Context(), actor(r), "vault.change_secret", "vault", "kdf=argon2id"); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/vault", "admin.vault.flash.secret_changed")
}
