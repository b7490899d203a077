package web

import "net/http"

// responseResponderNew shows the form that makes a person a responder.
func (s *Server) responseResponderNew(w http.ResponseWriter, r *http.Request) {
	f := responderForm{TimeZone: "America/New_York", Channel: "sms", OnCall: true, Person: r.URL.Query().Get("person")}
	s.renderResponderForm(w, r, http.StatusOK, responderFormPage{Form: f})
}
