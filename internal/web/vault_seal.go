package web

import "net/http"

// adminVaultSeal is the emergency button: this node drops its keys at once and the seal is
// recorded for every node, which follow within their watch interval (a second). It asks
// no confirmation, since in an emergency a second click costs time; the page explains
// what it does. The seal is audited even when recording it for the other nodes failed.
func (s *Server) adminVaultSeal(w http.ResponseWriter, r *http.Request) {
	err := s.Vault.Seal(r.Context())
	detail := ""
	if err != nil {
		detail = "other_nodes=unknown"
	}
	if rerr := s.adminRecord(r.Context(), actor(r), "vault.seal", "vault", detail); rerr != nil && err == nil {
		err = rerr
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/vault", "admin.vault.flash.sealed")
}
