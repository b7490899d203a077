package web

import (
	"net/http"
	"time"

	"solidarity/internal/auth"
)

// adminAPIKeyForm is what the new-key form sent, shown again when it has errors.
type adminAPIKeyForm struct {
	Name    string
	Role    string
	Expires string // YYYY-MM-DD or ""
}

// adminAPIKeysPage is the data of the API keys page.
type adminAPIKeysPage struct {
	Keys   []auth.APIKey
	Form   adminAPIKeyForm
	Errors adminErrors
	Roles  []auth.Role // the roles a key may have: none that reaches sensitive data
	Now    time.Time
}

// adminAPIKeysList lists every API key, revoked ones included, with the form to make one.
func (s *Server) adminAPIKeysList(w http.ResponseWriter, r *http.Request) {
	s.renderAPIKeys(w, r, http.StatusOK, adminAPIKeyForm{Role: string(auth.RoleMember)}, adminErrors{})
}

func (s *Server) renderAPIKeys(w http.ResponseWriter, r *http.Request, status int, form adminAPIKeyForm, fe adminErrors) {
	keys, err := s.Auth.ListAPIKeys(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := adminAPIKeysPage{Keys: keys, Form: form, Errors: fe, Now: s.DB.Now()}
	for _, role := range auth.Roles() {
		if !role.Sensitive() {
			p.Roles = append(p.Roles, role)
		}
	}
	s.render(w, r, status, "admin_apikeys", "admin.apikeys.title", p)
}
