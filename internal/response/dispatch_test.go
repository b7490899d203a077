package response

import (
	"testing"

	"solidarity/internal/errs"
)

func errsFields(err error) []string {
	var out []string
	for _, e := range errs.Fields(err) {
		out = append(out, e.Field)
	}
	return out
}

func TestChannelFor(t *testing.T) {
	cases := []struct {
		c    dispatchContact
		pref ResponderChannel
		want ResponderChannel
		ok   bool
	}{
		{dispatchContact{Phone: "+15555550100", Email: "a@example.org"}, ResponderSMS, ResponderSMS, true},
		{dispatchContact{Phone: "+15555550100", Email: "a@example.org"}, ResponderEmail, ResponderEmail, true},
		{dispatchContact{Phone: "+15555550100", Email: "a@example.org", SMSRevoked: true}, ResponderSMS, ResponderEmail, true},
		{dispatchContact{Phone: "+15555550100"}, ResponderEmail, ResponderSMS, true},
		{dispatchContact{Email: "a@example.org"}, ResponderSMS, ResponderEmail, true},
		{dispatchContact{Phone: "+15555550100", SMSRevoked: true}, ResponderSMS, "", false},
		{dispatchContact{}, ResponderEmail, "", false},
	}
	for i, c := range cases {
		got, ok := c.c.channelFor(c.pref)
		if got != c.want || ok != c.ok {
			t.Errorf("%d: %q %v, want %q %v", i, got, ok, c.want, c.ok)
		}
	}
}

func TestDispatchTokens(t *testing.T) {
	a, b := dispatchToken(), dispatchToken()
	if a == b || !dispatchTokenWellFormed(a) || len(dispatchTokenHash(a)) != 32 {
		t.Fatalf("tokens %q %q", a, b)
	}
	for _, bad := range []string{"", "1", a[:42], a + "x", a[:42] + "!"} {
		if dispatchTokenWellFormed(bad) {
			t.Errorf("%q is well formed", bad)
		}
	}
}
