package web

import (
	"net/http"

	"solidarity/internal/vault"
)

// adminVaultPage is the data of the vault page.
type adminVaultPage struct {
	Status    vault.Status
	KeyFile   bool   // the vault opens with a key file rather than a passphrase
	MemoryMiB uint32 // argon2id memory cost, for display
	Errors    adminErrors
}

// adminVaultShow shows the vault's state and the forms that fit it: set up, unseal, the
// emergency seal, key rotation and a change of passphrase.
func (s *Server) adminVaultShow(w http.ResponseWriter, r *http.Request) {
	s.renderVault(w, r, http.StatusOK, adminErrors{})
}

func (s *Server) renderVault(w http.ResponseWriter, r *http.Request, status int, fe adminErrors) {
	st, err := s.Vault.Status(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := adminVaultPage{Status: st, KeyFile: st.KDF == "keyfile", MemoryMiB: st.KDFParams.MemoryKiB / 1024, Errors: fe}
	s.render(w, r, status, "admin_vault", "admin.vault.title", p)
}

// adminVaultFail answers a failed vault action: invalid input goes back to the vault page
// with its field errors (422); anything else is an error page.
func (s *Server) adminVaultFail(w http.ResponseWriter, r *http.Request, err error) {
	if fe, ok := adminInvalid(err, nil); ok {
		s.renderVault(w, r, http.StatusUnprocessableEntity, fe)
		return
	}
	s.fail(w, r, err)
}
