package web

import (
	"net/http"
	"strings"
	"time"

	"solidarity/internal/auth"
)

// adminAPIKeyCreated is the data of the page that shows a new key, once.
type adminAPIKeyCreated struct {
	Key    string
	APIKey auth.APIKey
}

// adminAPIKeysCreate makes an API key and shows it on the answer to the POST itself: the
// key is never put in a URL or a cookie, the page is not stored by the browser
// (Cache-Control: no-store), and only its hash is kept, so it can never be shown again.
// An expiry date means the key works until the end of that day (UTC).
func (s *Server) adminAPIKeysCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	form := adminAPIKeyForm{Name: r.PostFormValue("name"), Role: r.PostFormValue("role"), Expires: strings.TrimSpace(r.PostFormValue("expires"))}
	n := auth.NewAPIKey{Name: form.Name, Role: auth.Role(form.Role)}
	day, ok := adminParseDate(form.Expires)
	if !ok {
		s.renderAPIKeys(w, r, http.StatusUnprocessableEntity, form, adminFieldError("expires", "admin.apikeys.expires_invalid"))
		return
	}
	if !day.IsZero() {
		end := day.Add(24 * time.Hour)
		n.ExpiresAt = &end
	}
	key, k, err := s.Auth.CreateAPIKey(r.Context(), actor(r), n)
	if fe, ok := adminInvalid(err, nil); ok {
		s.renderAPIKeys(w, r, http.StatusUnprocessableEntity, form, fe)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "admin_apikey_created", "admin.apikeys.created.title", adminAPIKeyCreated{Key: key, APIKey: k})
}
