package response

import (
	"net/url"
	"testing"
)

// The signature matches Twilio's own documented example, so that real provider requests
// are accepted (token 12345, the example URL and call parameters).
func TestTwilioSignatureKnownAnswer(t *testing.T) {
	form := url.Values{
		"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675310"}, "Digits": {"1234"},
		"From": {"+14158675310"}, "To": {"+18005551212"},
	}
	got := SignSMS("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form)
	if want := "GvWf1cFY/Q7PnoempGyD5oXAezc="; got != want {
		t.Fatalf("signature %q, want Twilio's %q", got, want)
	}
	// Anything changed breaks it: a field, the URL, the token.
	form.Set("Digits", "1235")
	if SignSMS("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form) == got {
		t.Error("a changed field kept the signature")
	}
	form.Set("Digits", "1234")
	if SignSMS("12345", "https://mycompany.com/myapp.php?foo=1&bar=3", form) == got || SignSMS("12346", "https://mycompany.com/myapp.php?foo=1&bar=2", form) == got {
		t.Error("a changed URL or token kept the signature")
	}
}
