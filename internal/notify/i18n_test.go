package notify

import (
	"testing"

	"solidarity/internal/i18n"
)

// TestKeysTranslated checks that every message key this package hands to users exists in
// every language's catalog.
func TestKeysTranslated(t *testing.T) {
	keys := []string{
		"notify.to.required", "notify.email.invalid", "notify.phone.invalid",
		"notify.subject.required", "notify.subject.too_long",
		"notify.text.required", "notify.text.too_long", "notify.text.encoding", "notify.html.too_long",
		"notify.body.required", "notify.body.too_long",
		"notify.purpose.required", "notify.purpose.too_long",
		"notify.delivery.not_found", "notify.channel.invalid", "notify.status.invalid",
	}
	for _, c := range []Channel{ChannelEmail, ChannelSMS} {
		keys = append(keys, c.Key())
	}
	for _, s := range []Status{StatusQueued, StatusSending, StatusSent, StatusOutbox, StatusFailed, StatusUncertain} {
		keys = append(keys, s.Key(), s.HelpKey())
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range i18n.Langs {
		for _, k := range keys {
			if !cat.Has(l.Code, k) {
				t.Errorf("%s catalog lacks %s", l.Code, k)
			}
		}
	}
}
