package notify

import (
	"bytes"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/jobs"
	"solidarity/internal/testkit"
)

func TestAuthOnlyOverTLSOrLoopback(t *testing.T) {
	cases := []struct {
		encrypted bool
		host      string
		want      bool
	}{
		{true, "mail.example.org", true},
		{false, "mail.example.org", false},
		{false, "203.0.113.7", false},
		{false, "10.0.0.5", false}, // a private network is still a network
		{false, "localhost", true},
		{false, "127.0.0.1", true},
		{false, "127.0.0.2", true},
		{false, "::1", true},
		{false, "localhost.example.org", false},
	}
	for _, c := range cases {
		if got := authAllowed(c.encrypted, c.host); got != c.want {
			t.Errorf("authAllowed(tls %v, %s) = %v, want %v", c.encrypted, c.host, got, c.want)
		}
	}
}

func TestNewRefusesUnusableConfig(t *testing.T) {
	const secret = "hunter2-secret"
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"wrong scheme", Config{SMTP: "http://u:" + secret + "@mail.example.org", From: "a@example.org"}, "must start with smtp://"},
		{"no host", Config{SMTP: "smtp://u:" + secret + "@:587", From: "a@example.org"}, "no host"},
		{"bad port", Config{SMTP: "smtp://u:" + secret + "@mail.example.org:notaport", From: "a@example.org"}, "does not parse"},
		{"no From", Config{SMTP: "smtp://u:" + secret + "@mail.example.org"}, "From address"},
		{"bad From", Config{SMTP: "smtp://mail.example.org", From: "not an address"}, "From address"},
		{"SMS without token", Config{SMSURL: "https://api.example.org", SMSAccount: "AC1", SMSFrom: "+15550001111"}, "token"},
		{"SMS with credentials in the URL", Config{SMSURL: "https://AC1:" + secret + "@api.example.org", SMSAccount: "AC1", SMSToken: secret, SMSFrom: "+1555"}, "must not hold credentials"},
		{"SMS over ftp", Config{SMSURL: "ftp://api.example.org", SMSAccount: "AC1", SMSToken: secret, SMSFrom: "+1555"}, "must start with https://"},
	}
	d := testkit.NewDB(t, db.SQLite)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(d, jobs.New(d, testkit.Logger()), c.cfg, testkit.Logger())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("New: %v, want an error about %q", err, c.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}
}

func TestComposeHeaders(t *testing.T) {
	from := &mail.Address{Name: "Red de Apoyo Mutuo — Zona Sur", Address: "avisos@example.org"}
	cases := []struct {
		name, subject string
	}{
		{"plain ascii", "Meeting tomorrow"},
		{"ascii that looks encoded", "Price =?utf-8?q?x?= list"},
		{"long spanish", strings.Repeat("Campaña de recaudación para la familia García ", 6)},
		{"emoji and ideographs", "Alerta 🚨 移民 información"},
		{"long ascii", strings.Repeat("word ", 60)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := Email{To: "a@example.org", Subject: c.subject, Text: "x", Purpose: "p"}
			m.normalize()
			raw, err := compose(from, m.To, m.Subject, m.Text, "", time.Date(2026, 11, 29, 10, 0, 0, 0, time.FixedZone("EST", -5*3600)), "<id@example.org>")
			if err != nil {
				t.Fatal(err)
			}
			msg, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			got, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			if err != nil || got != m.Subject {
				t.Errorf("Subject decodes to %q (%v), want %q", got, err, m.Subject)
			}
			if f, err := msg.Header.AddressList("From"); err != nil || f[0].Name != from.Name {
				t.Errorf("From = %v (%v)", f, err)
			}
			if d := msg.Header.Get("Date"); d != "Sun, 29 Nov 2026 15:00:00 +0000" {
				t.Errorf("Date = %q, want UTC", d)
			}
		})
	}
}

func TestSubjectCannotInjectHeaders(t *testing.T) {
	m := Email{To: "a@example.org", Subject: "Hola\r\nBcc: spy@example.org\n\tX: y", Text: "x", Purpose: "p"}
	m.normalize()
	if m.Subject != "Hola Bcc: spy@example.org X: y" {
		t.Fatalf("subject normalized to %q", m.Subject)
	}
	raw, err := compose(&mail.Address{Address: "a@example.org"}, m.To, m.Subject, m.Text, "", time.Now(), "<i@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if b := msg.Header.Get("Bcc"); b != "" {
		t.Errorf("a Bcc header got through: %q", b)
	}
}

func TestSMTPCertificateChecked(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		sink := testkit.NewSMTPServer(t, testkit.SMTPOptions{User: "relay", Pass: "pa55-w0rd", STARTTLS: true})
		// No SMTPRootCAs: the self-signed certificate must not be trusted, and the
		// password must not go out in the clear instead.
		h := newHarness(t, d, Config{SMTP: sink.URL(), From: "avisos@example.org"}, true, func(s *Service) { s.maxAttempts = 2 })
		id := mustEmail(t, h, Email{To: "ana@example.org", Subject: "Hola", Text: "Hola", Purpose: "p"})
		got := h.waitFinal(t, id)
		if got.Status != StatusFailed || got.Attempts != 2 || !strings.Contains(got.Error, "certificate") {
			t.Errorf("status %s after %d attempts, error %q; want failed over the certificate", got.Status, got.Attempts, got.Error)
		}
		if n := len(sink.Messages()); n != 0 {
			t.Errorf("%d messages went through an untrusted server", n)
		}
	})
}

func TestCleanDetail(t *testing.T) {
	cases := []struct{ in, want string }{
		{"550 5.1.1 user unknown", "550 5.1.1 user unknown"},
		{"bad \xff byte\x00", "bad ? byte"},
		{strings.Repeat("a", maxDetail-1) + "ñ", strings.Repeat("a", maxDetail-1)},
	}
	for _, c := range cases {
		if got := cleanDetail(c.in); got != c.want {
			t.Errorf("cleanDetail(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
