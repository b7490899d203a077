package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"time"
)

// mailer hands e-mail to one SMTP server with net/smtp: the standard library speaks
// everything needed here (STARTTLS, AUTH, 8BITMIME), and a frozen package is a feature
// for a dependency that sees every recipient.
type mailer struct {
	host, addr  string // host name (for TLS and HELO checks) and host:port
	implicitTLS bool   // smtps://
	user, pass  string
	from        *mail.Address
	roots       *x509.CertPool
	dialTimeout time.Duration
	timeout     time.Duration // the whole conversation with the server
}

func newMailer(raw, from string, roots *x509.CertPool) (*mailer, error) {
	u, err := parseProviderURL("SMTP", raw, "smtp", "smtps")
	if err != nil {
		return nil, err
	}
	m := &mailer{host: u.Hostname(), implicitTLS: u.Scheme == "smtps", roots: roots,
		dialTimeout: 15 * time.Second, timeout: 90 * time.Second}
	port := u.Port()
	if port == "" {
		port = "587"
		if m.implicitTLS {
			port = "465"
		}
	}
	m.addr = net.JoinHostPort(m.host, port)
	if u.User != nil {
		m.user = u.User.Username()
		m.pass, _ = u.User.Password()
	}
	if from == "" {
		return nil, errNoFrom
	}
	a, err := mail.ParseAddress(from)
	if err != nil || !isASCII(a.Address) {
		return nil, errors.New("the From address is not a valid e-mail address")
	}
	m.from = a
	return m, nil
}

// authAllowed says whether credentials may be sent: over TLS, or to this machine, where
// nobody on the network can read them.
func authAllowed(encrypted bool, host string) bool {
	if encrypted || host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (m *mailer) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: m.host, RootCAs: m.roots, MinVersion: tls.VersionTLS12}
}

// send delivers one message to one recipient. Every failure up to the end of DATA is
// definite (the server has not taken the message); a broken connection while the server
// answers the end of DATA is not, since it may have taken the message already.
func (m *mailer) send(ctx context.Context, to string, msg []byte) result {
	dialer := &net.Dialer{Timeout: m.dialTimeout}
	var conn net.Conn
	var err error
	if m.implicitTLS {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: m.tlsConfig()}).DialContext(ctx, "tcp", m.addr)
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", m.addr)
	}
	if err != nil {
		return retry("smtp connect", err)
	}
	_ = conn.SetDeadline(time.Now().Add(m.timeout))
	// Stopping the node (or the job's timeout) breaks the conversation at once.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return smtpRetry("smtp greeting", err)
	}
	defer c.Close()
	if err := c.Hello(heloName(m.from)); err != nil {
		return smtpRetry("smtp hello", err)
	}
	encrypted := m.implicitTLS
	if !encrypted {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(m.tlsConfig()); err != nil {
				return retry("smtp starttls", err)
			}
			encrypted = true
		}
	}
	if m.user != "" {
		if !authAllowed(encrypted, m.host) {
			return retry("smtp auth refused without tls", errors.New("the server offers no TLS; credentials not sent"))
		}
		if ok, _ := c.Extension("AUTH"); !ok {
			return retry("smtp auth unsupported", errors.New("the server offers no AUTH"))
		}
		if err := c.Auth(plainAuth{user: m.user, pass: m.pass}); err != nil {
			// A refused login is the operator's to fix, not the message's fault: retry.
			return smtpRetry("smtp auth", err)
		}
	}
	if err := c.Mail(m.from.Address); err != nil {
		return smtpFailure("smtp mail", err)
	}
	if err := c.Rcpt(to); err != nil {
		return smtpFailure("smtp rcpt", err)
	}
	w, err := c.Data()
	if err != nil {
		return smtpFailure("smtp data", err)
	}
	if _, err := w.Write(msg); err != nil {
		// Without the final dot the server discards what it got.
		return retry("smtp data", err)
	}
	if err := w.Close(); err != nil {
		var te *textproto.Error
		if errors.As(err, &te) {
			return smtpFailure("smtp data end", err)
		}
		return unknown("smtp data end", err)
	}
	_ = c.Quit() // the message is accepted; a failed goodbye changes nothing
	return result{outcome: outcomeSent}
}

// smtpFailure classifies a failed command: a 5xx reply is a refusal of this message, a
// 4xx reply or a broken connection before the end of DATA is worth another try.
func smtpFailure(step string, err error) result {
	var te *textproto.Error
	if errors.As(err, &te) {
		code := fmt.Sprintf("%s %d", step, te.Code)
		if te.Code >= 500 {
			return result{outcome: outcomeRefused, code: code, detail: err.Error()}
		}
		return result{outcome: outcomeRetry, code: code, detail: err.Error()}
	}
	return retry(step, err)
}

// smtpRetry is smtpFailure for the steps before a message is named (greeting, hello,
// login), where even a 5xx reply speaks of the server or its set-up, not of the message.
func smtpRetry(step string, err error) result {
	r := smtpFailure(step, err)
	r.outcome = outcomeRetry
	return r
}

// heloName is the name the client greets with: the From domain, which says nothing about
// the machine the message leaves from.
func heloName(from *mail.Address) string {
	for i := len(from.Address) - 1; i >= 0; i-- {
		if from.Address[i] == '@' {
			return from.Address[i+1:]
		}
	}
	return "localhost"
}

// plainAuth is AUTH PLAIN (RFC 4616). net/smtp's own PlainAuth knows loopback only by
// the names localhost, 127.0.0.1 and ::1; authAllowed makes the decision here instead.
type plainAuth struct{ user, pass string }

func (a plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("smtp: unexpected server challenge")
	}
	return nil, nil
}
