// Package notify sends Solidarity's outgoing e-mail (SMTP) and SMS (a Twilio-compatible
// HTTP API) through durable jobs with retries, and keeps the delivery log. With no
// provider configured, messages land in a built-in outbox that administrators read in the
// UI, so a fresh install works end to end. It touches only the deliveries table and the
// job queue; callers authorize reads of the log, which holds recipients and bodies.
package notify

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"solidarity/internal/errs"
)

// Email is one e-mail to one recipient. Text is required; HTML is optional (both are sent
// as multipart/alternative when present).
type Email struct {
	To      string
	Subject string
	Text    string
	HTML    string
	// Purpose names why it is sent (auth.invite, giving.receipt…), for the delivery log.
	Purpose string
	// Sensitive keeps the recipient and the message encrypted by the vault in the delivery
	// log (a reporter's or subscriber's address): see sealed.go.
	Sensitive bool
}

// SMS is one text message to one phone number in E.164 form. Bodies carry no sensitive
// detail: providers can be compelled to hand them over.
type SMS struct {
	To      string
	Body    string
	Purpose string
	// Sensitive keeps the number and the body encrypted by the vault in the delivery log
	// (a reporter's or responder's phone): see sealed.go.
	Sensitive bool
}

// Limits on what one message may hold. An SMS body of 1,600 characters is the most a
// Twilio-compatible provider accepts (it splits it into up to ten segments).
const (
	maxAddress = 254
	maxSubject = 250
	maxText    = 1 << 20 // one MiB each for the text and the HTML body
	maxSMS     = 1600
	maxPurpose = 100
)

// e164 is a phone number in international form: a plus, a country code that does not
// start with 0, and at most 15 digits in all.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// normalize trims the recipient and folds the subject onto one line, so that a title
// typed with a line break cannot inject a header.
func (m *Email) normalize() {
	m.To = strings.TrimSpace(m.To)
	m.Subject = strings.Join(strings.Fields(m.Subject), " ")
	m.Purpose = strings.TrimSpace(m.Purpose)
}

// Validate reports every problem with the e-mail as field errors with message keys.
func (m Email) Validate() error {
	m.normalize()
	var l errs.List
	switch {
	case m.To == "":
		l.Add("to", "notify.to.required")
	case !validAddress(m.To):
		l.Add("to", "notify.email.invalid")
	}
	switch {
	case m.Subject == "":
		l.Add("subject", "notify.subject.required")
	case utf8.RuneCountInString(m.Subject) > maxSubject:
		l.Add("subject", "notify.subject.too_long")
	}
	switch {
	case strings.TrimSpace(m.Text) == "":
		l.Add("text", "notify.text.required")
	case len(m.Text) > maxText:
		l.Add("text", "notify.text.too_long")
	}
	if len(m.HTML) > maxText {
		l.Add("html", "notify.html.too_long")
	}
	if !utf8.ValidString(m.Subject + m.Text + m.HTML) {
		l.Add("text", "notify.text.encoding")
	}
	validPurpose(&l, m.Purpose)
	return l.Err()
}

func (m *SMS) normalize() {
	m.To = strings.TrimSpace(m.To)
	m.Purpose = strings.TrimSpace(m.Purpose)
}

// Validate reports every problem with the SMS as field errors with message keys.
func (m SMS) Validate() error {
	m.normalize()
	var l errs.List
	switch {
	case m.To == "":
		l.Add("to", "notify.to.required")
	case !e164.MatchString(m.To):
		l.Add("to", "notify.phone.invalid")
	}
	switch {
	case strings.TrimSpace(m.Body) == "":
		l.Add("body", "notify.body.required")
	case !utf8.ValidString(m.Body):
		l.Add("body", "notify.text.encoding")
	case utf8.RuneCountInString(m.Body) > maxSMS:
		l.Add("body", "notify.body.too_long")
	}
	validPurpose(&l, m.Purpose)
	return l.Err()
}

func validPurpose(l *errs.List, p string) {
	switch {
	case p == "":
		l.Add("purpose", "notify.purpose.required")
	case len(p) > maxPurpose:
		l.Add("purpose", "notify.purpose.too_long")
	}
}

// validAddress accepts a bare ASCII address (no display name) with a dotted domain: what
// every SMTP server takes without the SMTPUTF8 extension.
func validAddress(s string) bool {
	if len(s) > maxAddress || !isASCII(s) {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") &&
		!strings.HasSuffix(domain, ".") && !strings.ContainsAny(domain, "[]")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || s[i] < 0x20 {
			return false
		}
	}
	return true
}
