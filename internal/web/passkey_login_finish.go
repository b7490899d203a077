package web

import (
	"encoding/json"
	"net/http"
)

// passkeyLoginFinish checks the browser's passkey assertion and, when it holds, signs the
// session in with a fresh token. The script then goes on to the page it was asked for.
func (s *Server) passkeyLoginFinish(w http.ResponseWriter, r *http.Request) {
	var credential json.RawMessage
	if err := readJSON(r, &credential); err != nil {
		s.jsonFail(w, r, err)
		return
	}
	g, err := s.Auth.FinishPasskeyLogin(r.Context(), sessionToken(r), credential)
	if err != nil {
		s.jsonFail(w, r, err)
		return
	}
	s.setSession(w, g)
	s.flash(w, "signin.flash.welcome")
	s.writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}
