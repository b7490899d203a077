package notify

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/testkit"
)

const (
	subjectES = "Reunión de mañana: ¿quién trae la información práctica para las familias del barrio? Ñandú"
	textES    = "Hola, Ana:\nLa reunión es mañana a las 18:00 en la cafetería «El Cañón».\n.Una línea que empieza con punto.\nGracias — el equipo."
	htmlES    = "<p>Hola, <b>Ana</b>:</p>\n<p>La reunión es mañana a las 18:00 en la cafetería «El Cañón».</p>"
)

func TestEmailSentWithMIME(t *testing.T) {
	cases := []struct {
		name string
		opts testkit.SMTPOptions
		html string
	}{
		{"starttls with auth, text and html", testkit.SMTPOptions{User: "relay", Pass: "s3cret-pass-1", STARTTLS: true}, htmlES},
		{"implicit tls, text only", testkit.SMTPOptions{User: "relay", Pass: "s3cret-pass-2", ImplicitTLS: true}, ""},
		{"plain loopback with auth", testkit.SMTPOptions{User: "relay", Pass: "s3cret-pass-3"}, htmlES},
		{"no auth, starttls", testkit.SMTPOptions{STARTTLS: true}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testkit.EachDB(t, func(t *testing.T, d *db.DB) {
				sink := testkit.NewSMTPServer(t, c.opts)
				h := newHarness(t, d, Config{SMTP: sink.URL(), From: "Red Solidaria <avisos@example.org>", SMTPRootCAs: sink.RootCAs()}, true)
				if !h.svc.EmailConfigured() || h.svc.SMSConfigured() {
					t.Fatalf("configured: email %v sms %v", h.svc.EmailConfigured(), h.svc.SMSConfigured())
				}
				id := mustEmail(t, h, Email{To: " ana@example.org ", Subject: subjectES, Text: textES, HTML: c.html, Purpose: "test.meeting"})
				got := h.waitFinal(t, id)
				if got.Status != StatusSent || got.Attempts != 1 || got.Error != "" {
					t.Fatalf("delivery: status %s, attempts %d, error %q; want sent after 1 attempt", got.Status, got.Attempts, got.Error)
				}
				msgs := sink.Messages()
				if len(msgs) != 1 {
					t.Fatalf("sink got %d messages, want 1", len(msgs))
				}
				m := msgs[0]
				if m.From != "avisos@example.org" || len(m.To) != 1 || m.To[0] != "ana@example.org" {
					t.Errorf("envelope: from %q to %v", m.From, m.To)
				}
				if m.User != c.opts.User {
					t.Errorf("logged in as %q, want %q", m.User, c.opts.User)
				}
				if wantTLS := c.opts.STARTTLS || c.opts.ImplicitTLS; m.TLS != wantTLS {
					t.Errorf("session TLS %v, want %v", m.TLS, wantTLS)
				}
				checkMIME(t, m.Data, got, c.html)
				h.assertNoPII(t, "ana@example.org", "Ana", "cafetería", c.opts.Pass)
			})
		})
	}
}

// checkMIME parses the message back as a mail reader would and checks what a recipient
// sees: who it is from, the subject in Spanish with its accents, the date, and the text
// and HTML parts.
func checkMIME(t *testing.T, raw []byte, d Delivery, html string) {
	t.Helper()
	for i, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 78 {
			t.Errorf("line %d is %d characters long: %q", i, len(line), line)
		}
		for _, r := range []byte(line) {
			if r >= 0x80 || r == '\n' || r == '\r' {
				t.Fatalf("line %d is not 7-bit clean: %q", i, line)
			}
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("net/mail cannot read the message: %v\n%s", err, raw)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != subjectES {
		t.Errorf("Subject decodes to %q (%v), want %q", subject, err, subjectES)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Red Solidaria" || from[0].Address != "avisos@example.org" {
		t.Errorf("From = %v (%v)", from, err)
	}
	if to := msg.Header.Get("To"); to != "ana@example.org" {
		t.Errorf("To = %q", to)
	}
	if date, err := msg.Header.Date(); err != nil || time.Until(date).Abs() > time.Minute {
		t.Errorf("Date = %v (%v)", date, err)
	}
	if id := msg.Header.Get("Message-ID"); id == "" || id != d.ProviderID || !strings.HasSuffix(id, "@example.org>") {
		t.Errorf("Message-ID %q, provider id %q", id, d.ProviderID)
	}
	if v := msg.Header.Get("MIME-Version"); v != "1.0" {
		t.Errorf("MIME-Version = %q", v)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type: %v", err)
	}
	if html == "" {
		if mediaType != "text/plain" || params["charset"] != "utf-8" {
			t.Fatalf("Content-Type %s %v, want text/plain; charset=utf-8", mediaType, params)
		}
		if cte := msg.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
			t.Errorf("Content-Transfer-Encoding %q", cte)
		}
		checkPart(t, "text", quotedprintable.NewReader(msg.Body), textES)
		return
	}
	if mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type %s, want multipart/alternative", mediaType)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	want := []struct{ kind, body string }{{"text/plain", textES}, {"text/html", htmlES}}
	for _, w := range want {
		p, err := r.NextPart()
		if err != nil {
			t.Fatalf("part %s: %v", w.kind, err)
		}
		pt, pp, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if pt != w.kind || pp["charset"] != "utf-8" {
			t.Errorf("part Content-Type %s %v, want %s; charset=utf-8", pt, pp, w.kind)
		}
		// multipart decodes quoted-printable itself and drops the header once it has.
		checkPart(t, w.kind, p, w.body)
	}
	if _, err := r.NextPart(); err != io.EOF {
		t.Errorf("a third part, or a broken end: %v", err)
	}
}

func checkPart(t *testing.T, name string, body io.Reader, want string) {
	t.Helper()
	raw, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	// SMTP ends a message with a line break; it is not part of the text.
	if got := strings.ReplaceAll(string(raw), "\r\n", "\n"); strings.TrimSuffix(got, "\n") != want {
		t.Errorf("%s part reads\n%q\nwant\n%q", name, got, want)
	}
}

func TestEmailSMTPFailures(t *testing.T) {
	cases := []struct {
		name      string
		opts      testkit.SMTPOptions
		pass      string // overrides the password in the URL
		stage     string
		codes     []int
		want      Status
		attempts  int
		received  int    // messages the server holds at the end
		errorHas  string // in the delivery's error
		jobStates string
	}{
		{name: "busy mailbox then accepted", stage: "RCPT", codes: []int{451}, want: StatusSent, attempts: 2, received: 1, jobStates: "completed"},
		{name: "mailbox unknown is refused for good", stage: "RCPT", codes: []int{550}, want: StatusFailed, attempts: 1, errorHas: "550", jobStates: "cancelled"},
		{name: "message rejected at end of data", stage: "DATA", codes: []int{554}, want: StatusFailed, attempts: 1, errorHas: "554", jobStates: "cancelled"},
		{name: "server dies after taking the message", stage: "DATA", codes: []int{0}, want: StatusUncertain, attempts: 1, received: 1, errorHas: "smtp data end", jobStates: "completed"},
		{name: "connection dropped at MAIL then sent", stage: "MAIL", codes: []int{0}, want: StatusSent, attempts: 2, received: 1, jobStates: "completed"},
		{name: "wrong password until the last attempt", opts: testkit.SMTPOptions{User: "relay", Pass: "right-pa55"}, pass: "wr0ng-pa55", want: StatusFailed, attempts: 3, errorHas: "535", jobStates: "discarded"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testkit.EachDB(t, func(t *testing.T, d *db.DB) {
				sink := testkit.NewSMTPServer(t, c.opts)
				if c.stage != "" {
					sink.FailNext(c.stage, c.codes...)
				}
				url := sink.URL()
				if c.pass != "" {
					url = strings.Replace(url, ":"+c.opts.Pass+"@", ":"+c.pass+"@", 1)
				}
				h := newHarness(t, d, Config{SMTP: url, From: "avisos@example.org"}, true, func(s *Service) { s.maxAttempts = 3 })
				id := mustEmail(t, h, Email{To: "luis@example.org", Subject: "Aviso", Text: "Texto privado", Purpose: "test"})
				got := h.waitFinal(t, id)
				states := h.waitJobsDone(t)
				got, _ = h.svc.Delivery(context.Background(), id)
				if got.Status != c.want || got.Attempts != c.attempts {
					t.Errorf("status %s after %d attempts, want %s after %d (error %q)", got.Status, got.Attempts, c.want, c.attempts, got.Error)
				}
				if !strings.Contains(got.Error, c.errorHas) {
					t.Errorf("error %q does not mention %q", got.Error, c.errorHas)
				}
				if n := len(sink.Messages()); n != c.received {
					t.Errorf("server holds %d messages, want %d", n, c.received)
				}
				if strings.Join(states, ",") != c.jobStates {
					t.Errorf("job states %v, want %s", states, c.jobStates)
				}
				h.assertNoPII(t, "luis@example.org", "Texto privado", c.pass)
			})
		})
	}
}
