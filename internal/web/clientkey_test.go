package web

import (
	"net/http/httptest"
	"testing"

	"solidarity/internal/config"
)

func TestClientAddressBehindProxies(t *testing.T) {
	s := newTestServer(t, func(c *config.Config) { c.TrustedProxies = "127.0.0.1, 10.0.0.0/8" })
	cases := []struct{ remote, xff, want string }{
		{"203.0.113.9:5555", "", "203.0.113.9"},
		{"203.0.113.9:5555", "198.51.100.1", "203.0.113.9"}, // untrusted peer: header ignored
		{"127.0.0.1:5555", "198.51.100.1", "198.51.100.1"},
		{"127.0.0.1:5555", "6.6.6.6, 198.51.100.1, 10.1.2.3", "198.51.100.1"}, // spoofed first hop ignored
		{"127.0.0.1:5555", "", "127.0.0.1"},
		{"[::ffff:127.0.0.1]:5555", "2001:db8::1", "2001:db8::1"},
		{"127.0.0.1:5555", "garbage", "127.0.0.1"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := s.clientAddress(r); got != c.want {
			t.Errorf("%s via %q: %q, want %q", c.remote, c.xff, got, c.want)
		}
	}
}
