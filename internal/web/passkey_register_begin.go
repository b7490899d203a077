package web

import "net/http"

// passkeyRegisterBegin starts adding a passkey, for a signed-in session or one that must
// enrol a second factor: the options for navigator.credentials.create.
func (s *Server) passkeyRegisterBegin(w http.ResponseWriter, r *http.Request) {
	creation, err := s.Auth.BeginPasskeyRegistration(r.Context(), sessionToken(r))
	if err != nil {
		s.jsonFail(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, creation)
}
