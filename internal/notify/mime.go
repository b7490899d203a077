package notify

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// compose builds the RFC 5322 message for one e-mail: UTF-8 bodies in quoted-printable
// (every line stays short and 7-bit, whatever the server supports), the text alone or
// text and HTML as multipart/alternative, and an RFC 2047 Subject. The Date is in UTC so
// that it does not tell where the server stands. No tracking headers or pixels are added.
func compose(from *mail.Address, to, subject, text, html string, date time.Time, messageID string) ([]byte, error) {
	var b bytes.Buffer
	header := func(name, value string) { b.WriteString(name + ": " + value + "\r\n") }
	header("Date", date.UTC().Format(time.RFC1123Z))
	header("From", from.String())
	header("To", to)
	header("Subject", encodeSubject(subject))
	header("Message-ID", messageID)
	header("MIME-Version", "1.0")
	if html == "" {
		header("Content-Type", "text/plain; charset=utf-8")
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	header("Content-Type", "multipart/alternative;\r\n "+strings.TrimPrefix(
		mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}), "multipart/alternative; "))
	b.WriteString("\r\n")
	for _, p := range []struct{ kind, content string }{{"text/plain", text}, {"text/html", html}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.kind + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, fmt.Errorf("mime part: %w", err)
		}
		if err := writeQP(w, p.content); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("mime close: %w", err)
	}
	b.Write(body.Bytes())
	return b.Bytes(), nil
}

// writeQP writes s quoted-printable; the encoder turns every line break into CRLF.
func writeQP(w io.Writer, s string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := io.WriteString(qp, s); err != nil {
		return fmt.Errorf("quoted-printable: %w", err)
	}
	if err := qp.Close(); err != nil {
		return fmt.Errorf("quoted-printable: %w", err)
	}
	return nil
}

// encodeSubject leaves a plain ASCII subject as it is and otherwise writes RFC 2047
// Q-encoded words, each on its own line, so that no line passes 78 characters.
func encodeSubject(s string) string {
	if isASCII(s) && !strings.Contains(s, "=?") && len(s) <= 900 {
		return s
	}
	const prefix, suffix = "=?utf-8?q?", "?="
	limit := 78 - len("Subject: ")
	var words []string
	var w strings.Builder
	for _, r := range s {
		enc := qEncode(r)
		if len(prefix)+w.Len()+len(enc)+len(suffix) > limit {
			words = append(words, prefix+w.String()+suffix)
			w.Reset()
			limit = 75 // the longest encoded word RFC 2047 allows, after a space
		}
		w.WriteString(enc)
	}
	words = append(words, prefix+w.String()+suffix)
	return strings.Join(words, "\r\n ")
}

// qEncode writes one character for a Q-encoded word: letters, digits and a few safe
// signs as they are, a space as _, everything else as =XX per UTF-8 byte. A character is
// never split across two words.
func qEncode(r rune) string {
	switch {
	case r == ' ':
		return "_"
	case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("!*+-/.,:;", r)):
		return string(r)
	}
	var b strings.Builder
	for _, c := range []byte(string(r)) {
		fmt.Fprintf(&b, "=%02X", c)
	}
	return b.String()
}

// newMessageID returns a random Message-ID in the From address's domain: it carries
// neither the delivery id nor anything about the recipient.
func newMessageID(from *mail.Address) string {
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return "<" + hex.EncodeToString(b) + "@" + domain + ">"
}
