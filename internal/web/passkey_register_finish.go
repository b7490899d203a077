package web

import (
	"encoding/json"
	"net/http"
)

// passkeyRegistration is what the script sends to finish adding a passkey.
type passkeyRegistration struct {
	Name       string          `json:"name"`
	Credential json.RawMessage `json:"credential"`
}

// passkeyRegistered is the answer: recovery codes when this was the account's first
// factor, which the script shows once.
type passkeyRegistered struct {
	OK            bool     `json:"ok"`
	RecoveryCodes []string `json:"recoveryCodes,omitempty"`
}

// passkeyRegisterFinish stores the passkey the browser created. A session that had to
// enrol is signed in by it, with a fresh token.
func (s *Server) passkeyRegisterFinish(w http.ResponseWriter, r *http.Request) {
	var in passkeyRegistration
	if err := readJSON(r, &in); err != nil {
		s.jsonFail(w, r, err)
		return
	}
	e, err := s.Auth.FinishPasskeyRegistration(r.Context(), sessionToken(r), in.Name, in.Credential)
	if err != nil {
		s.jsonFail(w, r, err)
		return
	}
	if e.SignedIn != nil {
		s.setSession(w, *e.SignedIn)
	}
	s.flash(w, "signin.flash.passkey_added")
	s.writeJSON(w, http.StatusOK, passkeyRegistered{OK: true, RecoveryCodes: e.RecoveryCodes})
}
