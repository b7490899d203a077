package response

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"solidarity/internal/errs"
	"solidarity/internal/geo"
	"solidarity/internal/people"
)

// AlertChannel is how a subscriber receives alerts.
type AlertChannel string

// The channels of alert subscriptions.
const (
	AlertSMS   AlertChannel = "sms"
	AlertEmail AlertChannel = "email"
)

// SubscriberStatus is where a subscription stands: an e-mail one is pending until its
// confirmation link is used; an SMS one is active at once.
type SubscriberStatus string

// The subscription statuses.
const (
	SubscriberPending SubscriberStatus = "pending"
	SubscriberActive  SubscriberStatus = "active"
)

// The public subscribe page's rate limits, applied by the web layer before Subscribe (per
// client address, and for everyone together). They live here so that tests and pages
// share them.
const (
	// SubscribeClientLimit subscriptions per SubscribeClientWindow from one address: a
	// family can sign up together, a script cannot.
	SubscribeClientLimit  = 10
	SubscribeClientWindow = 10 * time.Minute
	// SubscribeGlobalLimit subscriptions per SubscribeGlobalWindow from everyone: sized for
	// a neighbourhood signing up after a raid, while capping how many confirmation
	// messages a botnet can make the network send.
	SubscribeGlobalLimit  = 300
	SubscribeGlobalWindow = time.Minute
	// SubscribeContactLimit subscriptions per SubscribeContactWindow for one phone or
	// address, subscribed or not, so that nobody's phone or inbox can be flooded with
	// confirmations through the page.
	SubscribeContactLimit  = 3
	SubscribeContactWindow = time.Hour
)

// SubscribeLimitKey is the subject of the per-contact limit: the contact in canonical form
// when it is valid (so that "(555) 123-4567" and "+15551234567" count together), else as
// typed, in lower case.
func SubscribeLimitKey(ch AlertChannel, contact string) string {
	var c string
	var ok bool
	if ch == AlertSMS {
		c, ok = people.NormalizePhone(contact, "US")
	} else {
		c, ok = people.NormalizeEmail(contact)
	}
	if !ok {
		c = strings.ToLower(strings.TrimSpace(contact))
	}
	return subscriberKey(ch, c)
}

// Subscription limits.
const (
	// MaxZIPs is how many ZIP codes one subscription may cover.
	MaxZIPs = 10
	// SubscribeConfirmTTL is how long an e-mail confirmation link works.
	SubscribeConfirmTTL = 7 * 24 * time.Hour
)

// The paths the web layer serves for the links subscribers receive.
const (
	// SubscribePath is the public page where people sign up for alerts.
	SubscribePath = "/alerts"
	// SubscribeConfirmPath + token confirms an e-mail subscription.
	SubscribeConfirmPath = "/alerts/confirm/"
	// LeavePath + token ends a subscription, without an account.
	LeavePath = "/alerts/leave/"
)

// subscriberConsentWebForm is how consent given on the public page is recorded.
const subscriberConsentWebForm = "web_form"

// SubscribeRequest is what the public page sends. Rate limits and the honeypot are the web
// layer's; the service trusts nothing else about the request.
type SubscribeRequest struct {
	// Contact is a phone number (SMS) or an e-mail address, as typed.
	Contact string
	Channel AlertChannel
	ZIPs    []string
	// Language is the language alerts arrive in, "en" or "es".
	Language string
	// Consent is the ticked consent box; nothing is stored without it.
	Consent bool
}

// alertZIPRe is a US ZIP code, optionally with its four-digit extension (dropped).
var alertZIPRe = regexp.MustCompile(`^([0-9]{5})(?:-?[0-9]{4})?$`)

// ParseAlertZIPs validates ZIP codes as typed (five digits, or ZIP+4) against the offline
// gazetteer and returns them as five digits, sorted and without repeats. field names the
// input in errors.
func ParseAlertZIPs(raw []string, field string) ([]string, error) {
	var out []string
	for _, z := range raw {
		z = strings.TrimSpace(z)
		if z == "" {
			continue
		}
		m := alertZIPRe.FindStringSubmatch(z)
		if m == nil || m[1] == "00000" {
			return nil, errs.Invalid(field, "alerts.zip.invalid")
		}
		if _, known := geo.Lookup(m[1]); !known {
			return nil, errs.Invalid(field, "alerts.zip.unknown")
		}
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	switch {
	case len(out) == 0:
		return nil, errs.Invalid(field, "alerts.zip.required")
	case len(out) > MaxZIPs:
		return nil, errs.Invalid(field, "alerts.zip.too_many")
	}
	slices.Sort(out)
	return out, nil
}

// normalize validates the request and returns the contact in canonical form (E.164 for a
// phone, lower case for an e-mail), with the ZIP codes cleaned.
func (r *SubscribeRequest) normalize() (string, error) {
	var l errs.List
	var contact string
	switch r.Channel {
	case AlertSMS:
		c, ok := people.NormalizePhone(r.Contact, "US")
		switch {
		case strings.TrimSpace(r.Contact) == "":
			l.Add("contact", "alerts.phone.required")
		case !ok:
			l.Add("contact", "alerts.phone.invalid")
		}
		contact = c
	case AlertEmail:
		c, ok := people.NormalizeEmail(r.Contact)
		switch {
		case strings.TrimSpace(r.Contact) == "":
			l.Add("contact", "alerts.email.required")
		case !ok:
			l.Add("contact", "alerts.email.invalid")
		}
		contact = c
	default:
		l.Add("channel", "alerts.channel.invalid")
	}
	zips, err := ParseAlertZIPs(r.ZIPs, "zips")
	if err != nil {
		l = append(l, errs.Fields(err)...)
	}
	r.ZIPs = zips
	if r.Language != "en" && r.Language != "es" {
		l.Add("language", "alerts.language.invalid")
	}
	if !r.Consent {
		l.Add("consent", "alerts.consent.required")
	}
	return contact, l.Err()
}

// subscriberIndexField is the blind index domain of subscribers' contacts.
const subscriberIndexField = "response_subscribers.contact"

// subscriberKey is what the blind index is computed over: the channel and the canonical
// contact, so that a phone and an address never collide.
func subscriberKey(ch AlertChannel, contact string) string { return string(ch) + ":" + contact }
