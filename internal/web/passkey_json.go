package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

// The passkey ceremonies run in static/passkeys.js, which talks to these endpoints in JSON:
// the browser's WebAuthn API cannot be driven by a plain form.

// writeJSON answers with v as JSON.
func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		s.Log.Warn("web: write JSON", "err", err)
	}
}

// jsonError is a failed JSON call as the script reads it: a translated message to show,
// the field it concerns, and where to go when the sign-in must start again.
type jsonError struct {
	Error  string `json:"error"`
	Field  string `json:"field,omitempty"`
	SignIn string `json:"signIn,omitempty"`
}

// jsonFail answers a JSON endpoint's failure. A missing, ended or wrong-step session is 400
// with SignIn set, so that the script sends the person to the step they need (these routes
// are public, and public routes never answer 401).
func (s *Server) jsonFail(w http.ResponseWriter, r *http.Request, err error) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		err = &errs.Error{Code: errs.CodeInvalid, Key: "error.too_large"}
	}
	e := errs.As(err)
	status := statusOf(e.Code)
	if e.Code == errs.CodeInternal {
		s.Log.Error("internal error", "route", stateOf(r).pattern, "err", e.Cause)
	}
	key := e.Key
	if key == "" || !s.Catalog.Has("en", key) {
		key = "error." + string(e.Code)
	}
	out := jsonError{Error: stateOf(r).loc.T(key), Field: e.Field}
	if e.Code == errs.CodeUnauthenticated {
		status = http.StatusBadRequest
		out.SignIn = "/login"
		switch e.Key {
		case auth.KeySessionSecondFactor:
			out.SignIn = "/login/second-factor"
		case auth.KeySessionEnrol:
			out.SignIn = "/account/two-factor"
		}
	}
	s.writeJSON(w, status, out)
}

// readJSON decodes the request body into v; a body that is not the JSON expected is bad
// input for field "passkey".
func readJSON(r *http.Request, v any) error {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return errs.Invalid("passkey", "auth.passkey.failed")
	}
	return nil
}
