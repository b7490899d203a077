package web

import "net/http"

// passkeyLoginBegin starts the passkey step of a session waiting for its second factor: the
// options for navigator.credentials.get.
func (s *Server) passkeyLoginBegin(w http.ResponseWriter, r *http.Request) {
	assertion, err := s.Auth.BeginPasskeyLogin(r.Context(), sessionToken(r))
	if err != nil {
		s.jsonFail(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, assertion)
}
