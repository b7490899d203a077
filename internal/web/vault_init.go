package web

import "net/http"

// adminVaultInit sets the vault up with a passphrase typed twice. The passphrase is never
// stored anywhere: whoever loses it loses the sensitive data. The vault does not audit
// itself, so the handler records vault.init.
func (s *Server) adminVaultInit(w http.ResponseWriter, r *http.Request) {
	f, err := readVaultForm(r)
	if err != nil {
		s.adminVaultFail(w, r, err)
		return
	}
	defer f.wipe()
	if f.values["passphrase"] != f.values["passphrase_confirm"] {
		s.renderVault(w, r, http.StatusUnprocessableEntity, adminFieldError("passphrase_confirm", "admin.vault.passphrase_mismatch"))
		return
	}
	secret := f.secret("passphrase", "")
	defer secret.Wipe()
	if err := s.Vault.Init(r.Context(), secret); err != nil {
		s.adminVaultFail(w, r, err)
		return
	}
	if err := s.adminRecord(r.Context(), actor(r), "vault.init", "vault", "kdf=argon2id"); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/vault", "admin.vault.flash.initialized")
}
