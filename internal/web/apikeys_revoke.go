package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/errs"
)

// adminAPIKeysRevoke stops an API key from working at once, after a confirmation step
// that names the key: whatever program uses it stops working too. The service audits it.
func (s *Server) adminAPIKeysRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := adminPathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	if !adminConfirmed(r) {
		s.adminConfirmRevoke(w, r, id)
		return
	}
	if err := s.Auth.RevokeAPIKey(r.Context(), actor(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/api-keys", "admin.apikeys.revoked")
}

// adminConfirmRevoke asks before revoking the key id, naming it by name and prefix.
func (s *Server) adminConfirmRevoke(w http.ResponseWriter, r *http.Request, id int64) {
	keys, err := s.Auth.ListAPIKeys(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, k := range keys {
		if k.ID != id || k.RevokedAt != nil {
			continue
		}
		s.render(w, r, http.StatusOK, "admin_confirm", "admin.apikeys.revoke.heading", adminConfirm{
			Heading: "admin.apikeys.revoke.heading", Message: "admin.apikeys.revoke.explain", Name: k.Name + " · " + k.Prefix,
			Action: "/admin/api-keys/" + strconv.FormatInt(id, 10) + "/revoke", Button: "admin.apikeys.revoke.button",
			Cancel: "/admin/api-keys",
		})
		return
	}
	s.fail(w, r, errs.NotFound("auth.apikey.not_found"))
}
