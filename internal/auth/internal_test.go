package auth

import (
	"testing"
	"time"
)

func TestAgentLabel(t *testing.T) {
	cases := map[string]string{
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1":    "Safari · iOS",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0":              "Edge · Windows",
		"Mozilla/5.0 (Linux; Android 14; SM-A146U) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/27.0 Chrome/125.0.0.0 Mobile Safari/537.36": "Samsung Internet · Android",
		"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0":                                                                     "Firefox · Linux",
		"curl/8.11.0": "curl",
		"":            "",
		"SomeBot":     "",
	}
	for ua, want := range cases {
		if got := agentLabel(ua); got != want {
			t.Errorf("agentLabel(%q) = %q, want %q", ua, got, want)
		}
	}
}

func TestLockFor(t *testing.T) {
	cases := []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {4, 0}, {5, time.Minute}, {6, 2 * time.Minute}, {7, 4 * time.Minute}, {10, 32 * time.Minute},
		{11, time.Hour}, // 64 minutes, capped
		{100, time.Hour},
	}
	for _, tc := range cases {
		if got := lockFor(tc.failures); got != tc.want {
			t.Errorf("lockFor(%d) = %v, want %v", tc.failures, got, tc.want)
		}
	}
}
