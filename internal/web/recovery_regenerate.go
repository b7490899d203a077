package web

import "net/http"

// recoveryRegenerate replaces one's recovery codes with ten new ones and shows them once;
// the old ones stop working.
func (s *Server) recoveryRegenerate(w http.ResponseWriter, r *http.Request) {
	codes, err := s.Auth.RegenerateRecoveryCodes(r.Context(), actor(r))
	if err != nil {
		s.accountRefused(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "recovery_codes", "signin.recovery.title", recoveryPage{Codes: codes, Next: "/account"})
}
