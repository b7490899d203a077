package response

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// SMSWebhookPath is where the SMS provider posts inbound text messages.
const SMSWebhookPath = "/webhooks/sms"

// maxInboundBody is the longest inbound text taken (a provider joins at most ten segments).
const maxInboundBody = 1600

// InboundSMS is one inbound text message as the provider posted it (Twilio's form: From,
// To, Body, MessageSid…).
type InboundSMS struct {
	// RequestURI is the path and query the provider posted to; the signature covers the
	// configured base URL followed by it.
	RequestURI string
	// Form is the posted form, every field of it (the signature covers them all).
	Form url.Values
	// Signature is the X-Twilio-Signature header.
	Signature string
}

// ReceiveSMS handles an inbound text message and returns the reply to send back ("" for
// none). The message must carry the provider's signature, made with the configured SMS
// token; without a token configured every message is refused (errs.Forbidden), as is a
// missing or forged signature: nothing changes then. A message already handled (the
// provider retrying the same MessageSid) changes nothing and gets no reply.
//
// In one transaction: a stop keyword (STOP, ALTO…) ends the number's alert subscriptions
// and revokes its SMS consent in the people module, and is confirmed in the keyword's
// language; HELP/AYUDA gets the help text; YES/SÍ or NO from a responder with a pending
// request answers it; anything else opens or continues a report conversation. The number
// and the text are never logged.
func (s *Service) ReceiveSMS(ctx context.Context, in InboundSMS) (string, error) {
	if !s.smsSignatureValid(in) {
		return "", errs.Forbidden()
	}
	sid := strings.TrimSpace(in.Form.Get("MessageSid"))
	if sid == "" {
		sid = strings.TrimSpace(in.Form.Get("SmsSid"))
	}
	from, ok := people.NormalizePhone(in.Form.Get("From"), "US")
	body := strings.TrimSpace(in.Form.Get("Body"))
	switch {
	case sid == "" || len(sid) > 64:
		return "", errs.Invalid("MessageSid", "response_dispatch.sms.invalid")
	case !ok:
		return "", errs.Invalid("From", "response_dispatch.sms.invalid")
	case !utf8.ValidString(body):
		return "", errs.Invalid("Body", "response_dispatch.sms.invalid")
	}
	if utf8.RuneCountInString(body) > maxInboundBody {
		body = string([]rune(body)[:maxInboundBody])
	}
	var reply string
	err := s.inTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "INSERT INTO response_inbound_sms (message_sid, received_at) VALUES (?, ?) ON CONFLICT (message_sid) DO NOTHING", sid, tx.Now)
		if err != nil {
			return fmt.Errorf("response: record inbound SMS: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // a retry of a message already handled
		}
		reply, err = s.routeInbound(ctx, tx, from, body)
		return err
	})
	if err != nil {
		return "", err
	}
	return reply, nil
}

// smsSignatureValid checks the provider's signature of the request in constant time. With
// no token configured nothing is valid.
func (s *Service) smsSignatureValid(in InboundSMS) bool {
	if s.cfg.SMSToken == "" || in.Signature == "" {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(in.Signature))
	if err != nil {
		return false
	}
	want := twilioSignature(s.cfg.SMSToken, s.link(in.RequestURI), in.Form)
	return hmac.Equal(got, want)
}

// twilioSignature is how Twilio signs a webhook request: HMAC-SHA1, keyed with the auth
// token, of the full URL followed by every form field's name and value, fields sorted by
// name (and a repeated field's values sorted too).
func twilioSignature(token, fullURL string, form url.Values) []byte {
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(fullURL))
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		vals := slices.Clone(form[k])
		slices.Sort(vals)
		for _, v := range vals {
			mac.Write([]byte(k))
			mac.Write([]byte(v))
		}
	}
	return mac.Sum(nil)
}

// SignSMS returns the X-Twilio-Signature a provider holding token would send for a form
// posted to fullURL; tests and the load generator use it.
func SignSMS(token, fullURL string, form url.Values) string {
	return base64.StdEncoding.EncodeToString(twilioSignature(token, fullURL, form))
}
