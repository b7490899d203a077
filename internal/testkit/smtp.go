package testkit

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// SMTPOptions shapes an SMTPServer.
type SMTPOptions struct {
	// User and Pass, when set, make the server offer AUTH PLAIN and refuse mail before a
	// login with them.
	User, Pass string
	// STARTTLS offers STARTTLS with a self-signed certificate for 127.0.0.1 and localhost.
	STARTTLS bool
	// ImplicitTLS speaks TLS from the first byte, like smtps on port 465.
	ImplicitTLS bool
}

// SMTPMessage is one message the server accepted (or, with a dropped answer, received).
type SMTPMessage struct {
	From string   // envelope sender
	To   []string // envelope recipients
	Data []byte   // the message as sent, CRLF line endings, dots unstuffed
	User string   // who logged in, "" without AUTH
	TLS  bool     // whether the session was encrypted
}

// SMTPServer is a real SMTP server on 127.0.0.1 that keeps what it receives, for tests of
// outgoing mail. It speaks enough of RFC 5321 for net/smtp: EHLO, STARTTLS, AUTH PLAIN,
// MAIL, RCPT, DATA, RSET, NOOP, QUIT.
type SMTPServer struct {
	Addr string // host:port it listens on

	opts  SMTPOptions
	tls   *tls.Config
	roots *x509.CertPool
	ln    net.Listener
	wg    sync.WaitGroup

	mu       sync.Mutex
	msgs     []SMTPMessage
	failures map[string][]int // stage → scripted reply codes, consumed in order
	sessions int
}

// NewSMTPServer starts a server that stops when the test ends.
func NewSMTPServer(t testing.TB, o SMTPOptions) *SMTPServer {
	t.Helper()
	s := &SMTPServer{opts: o, failures: map[string][]int{}}
	if o.STARTTLS || o.ImplicitTLS {
		cert, roots, err := smtpSelfSigned()
		if err != nil {
			t.Fatalf("smtp sink: certificate: %v", err)
		}
		s.tls = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.roots = roots
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtp sink: listen: %v", err)
	}
	if o.ImplicitTLS {
		ln = tls.NewListener(ln, s.tls)
	}
	s.ln, s.Addr = ln, ln.Addr().String()
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

// URL returns the smtp:// (or smtps://) URL of the server with its credentials.
func (s *SMTPServer) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.Addr}
	if s.opts.ImplicitTLS {
		u.Scheme = "smtps"
	}
	if s.opts.User != "" {
		u.User = url.UserPassword(s.opts.User, s.opts.Pass)
	}
	return u.String()
}

// RootCAs returns a pool that trusts the server's certificate (nil without TLS).
func (s *SMTPServer) RootCAs() *x509.CertPool { return s.roots }

// Messages returns a copy of what the server has received so far.
func (s *SMTPServer) Messages() []SMTPMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SMTPMessage(nil), s.msgs...)
}

// Sessions returns how many connections the server has taken.
func (s *SMTPServer) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// FailNext scripts the next answers at a stage: "MAIL", "RCPT" or "DATA" (the answer to
// the end of the message). Each code is used once, in order. Code 0 at DATA keeps the
// message and then drops the connection without answering, as a server that dies after
// taking a message would; at MAIL or RCPT it drops the connection.
func (s *SMTPServer) FailNext(stage string, codes ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[stage] = append(s.failures[stage], codes...)
}

func (s *SMTPServer) scripted(stage string) (code int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures[stage]) == 0 {
		return 0, false
	}
	code = s.failures[stage][0]
	s.failures[stage] = s.failures[stage][1:]
	return code, true
}

func (s *SMTPServer) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.sessions++
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(time.Minute))
			s.session(conn)
		}()
	}
}

// smtpSession is one connection's state.
type smtpSession struct {
	conn net.Conn
	r    *bufio.Reader
	tls  bool
	user string
	mail bool // a MAIL command was accepted
	from string
	to   []string
}

func (c *smtpSession) reply(code int, lines ...string) {
	var b strings.Builder
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		fmt.Fprintf(&b, "%d%s%s\r\n", code, sep, l)
	}
	_, _ = c.conn.Write([]byte(b.String()))
}

func (c *smtpSession) readLine() (string, error) {
	line, err := c.r.ReadString('\n')
	return strings.TrimRight(line, "\r\n"), err
}

func (s *SMTPServer) session(conn net.Conn) {
	c := &smtpSession{conn: conn, r: bufio.NewReader(conn), tls: s.opts.ImplicitTLS}
	c.reply(220, "sink.test ESMTP test sink")
	for {
		line, err := c.readLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			ext := []string{"sink.test", "8BITMIME"}
			if s.tls != nil && !c.tls {
				ext = append(ext, "STARTTLS")
			}
			if s.opts.User != "" {
				ext = append(ext, "AUTH PLAIN")
			}
			c.reply(250, ext...)
		case "STARTTLS":
			if s.tls == nil || c.tls {
				c.reply(503, "5.5.1 TLS not available")
				continue
			}
			c.reply(220, "2.0.0 ready")
			tc := tls.Server(conn, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			*c = smtpSession{conn: tc, r: bufio.NewReader(tc), tls: true}
		case "AUTH":
			s.auth(c, arg)
		case "MAIL":
			if s.opts.User != "" && c.user == "" {
				c.reply(530, "5.7.0 authentication required")
				continue
			}
			if replied, drop := s.scriptedReply(c, "MAIL", "sender"); drop {
				return
			} else if replied {
				continue
			}
			c.mail, c.from, c.to = true, addrParam(arg), nil
			c.reply(250, "2.1.0 ok")
		case "RCPT":
			if !c.mail {
				c.reply(503, "5.5.1 MAIL first")
				continue
			}
			if replied, drop := s.scriptedReply(c, "RCPT", "<"+addrParam(arg)+">"); drop {
				return
			} else if replied {
				continue
			}
			c.to = append(c.to, addrParam(arg))
			c.reply(250, "2.1.5 ok")
		case "DATA":
			if len(c.to) == 0 {
				c.reply(503, "5.5.1 no recipients")
				continue
			}
			if !s.data(c) {
				return
			}
		case "RSET":
			c.mail, c.from, c.to = false, "", nil
			c.reply(250, "2.0.0 ok")
		case "NOOP":
			c.reply(250, "2.0.0 ok")
		case "QUIT":
			c.reply(221, "2.0.0 bye")
			return
		default:
			c.reply(502, "5.5.2 command not recognized")
		}
	}
}

// scriptedReply answers with the stage's next scripted failure, if any: replied says a
// failure was sent, drop that the connection must close without an answer.
// Like real servers, the reply names what it refuses (a recipient, say).
func (s *SMTPServer) scriptedReply(c *smtpSession, stage, what string) (replied, drop bool) {
	code, ok := s.scripted(stage)
	switch {
	case !ok:
		return false, false
	case code == 0:
		return false, true
	}
	c.reply(code, "scripted failure: "+what)
	return true, false
}

func (s *SMTPServer) auth(c *smtpSession, arg string) {
	mech, initial, _ := strings.Cut(arg, " ")
	if s.opts.User == "" || !strings.EqualFold(mech, "PLAIN") {
		c.reply(504, "5.5.4 mechanism not supported")
		return
	}
	if initial == "" {
		c.reply(334, "")
		line, err := c.readLine()
		if err != nil {
			return
		}
		initial = line
	}
	raw, err := base64.StdEncoding.DecodeString(initial)
	parts := strings.Split(string(raw), "\x00")
	if err != nil || len(parts) != 3 || parts[1] != s.opts.User || parts[2] != s.opts.Pass {
		c.reply(535, "5.7.8 authentication failed")
		return
	}
	c.user = parts[1]
	c.reply(235, "2.7.0 authenticated")
}

// data reads one message up to the lone dot; false means the connection must drop.
func (s *SMTPServer) data(c *smtpSession) bool {
	c.reply(354, "end with <CRLF>.<CRLF>")
	var body bytes.Buffer
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			return false
		}
		if line == ".\r\n" {
			break
		}
		body.WriteString(strings.TrimPrefix(line, "."))
	}
	msg := SMTPMessage{From: c.from, To: c.to, Data: body.Bytes(), User: c.user, TLS: c.tls}
	c.mail, c.from, c.to = false, "", nil
	code, scripted := s.scripted("DATA")
	if scripted && code != 0 {
		c.reply(code, "scripted failure")
		return true
	}
	s.mu.Lock()
	s.msgs = append(s.msgs, msg)
	n := len(s.msgs)
	s.mu.Unlock()
	if scripted {
		return false // took the message, then died before answering
	}
	c.reply(250, fmt.Sprintf("2.0.0 queued as %d", n))
	return true
}

// addrParam returns the address in "FROM:<a@b> BODY=8BITMIME".
func addrParam(arg string) string {
	_, rest, _ := strings.Cut(arg, "<")
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}

// smtpSelfSigned makes a certificate for 127.0.0.1, ::1 and localhost, and a pool trusting it.
func smtpSelfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "sink.test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}
