package web

import (
	"encoding/xml"
	"net/http"
	"strings"

	"solidarity/internal/errs"
	"solidarity/internal/response"
)

// responseSMSWebhook takes an inbound text message from the SMS provider and answers in
// TwiML: the reply as a <Message>, or an empty <Response/>. A request without a valid
// signature (or any request, when no SMS token is configured) gets 403 and changes
// nothing. Nothing of the number or the text reaches the logs.
func (s *Server) responseSMSWebhook(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	reply, err := s.Response.ReceiveSMS(r.Context(), response.InboundSMS{
		RequestURI: r.URL.RequestURI(), Form: r.PostForm, Signature: r.Header.Get("X-Twilio-Signature"),
	})
	switch errs.CodeOf(err) {
	case "":
	case errs.CodeForbidden:
		w.WriteHeader(http.StatusForbidden)
		return
	case errs.CodeInvalid:
		writeTwiML(w, http.StatusBadRequest, "")
		return
	default:
		// Only the code is logged: a cause could quote the number or the text.
		e := errs.As(err)
		s.Log.Error("inbound sms not handled", "code", string(e.Code))
		w.WriteHeader(statusOf(e.Code))
		return
	}
	writeTwiML(w, http.StatusOK, reply)
}

// writeTwiML answers the provider with a TwiML document: one message, or none.
func writeTwiML(w http.ResponseWriter, status int, message string) {
	var b strings.Builder
	b.WriteString(xml.Header)
	if message == "" {
		b.WriteString("<Response/>")
	} else {
		b.WriteString("<Response><Message>")
		_ = xml.EscapeText(&b, []byte(message))
		b.WriteString("</Message></Response>")
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}
