package notify

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"solidarity/internal/db"
	"solidarity/internal/jobs"
)

// Config says where messages go. An empty SMTP (or SMSURL) sends that channel's messages
// to the built-in outbox instead.
type Config struct {
	// SMTP is smtp://user:pass@host:port (STARTTLS when offered; credentials only over
	// TLS or to a loopback host) or smtps://user:pass@host:465 (implicit TLS).
	SMTP string
	// From is the From: of every e-mail, a bare address or "Name <address>".
	From string

	// SMSURL is the base of a Twilio-compatible API, such as https://api.twilio.com.
	SMSURL     string
	SMSAccount string
	SMSToken   string
	SMSFrom    string
	// SMSRate is how many SMS per second this node hands to the provider; 0 or less
	// means no limit.
	SMSRate float64

	// SMTPRootCAs verifies the mail server's certificate; nil means the system's roots.
	// Set it for a server with a private CA (and in tests).
	SMTPRootCAs *x509.CertPool
}

// Service queues messages in the caller's transaction and sends them from jobs.
type Service struct {
	db   *db.DB
	q    *jobs.Queue
	log  *slog.Logger
	mail *mailer // nil: e-mail goes to the outbox
	sms  *texter // nil: SMS goes to the outbox
	// limiter spaces SMS sends on this node to the provider's rate.
	limiter  *rate.Limiter
	observer func(Channel, Status)
	// sealer encrypts sensitive deliveries (nil: none may be sent).
	sealer Sealer

	// maxAttempts is how many times a send is tried before the delivery fails.
	maxAttempts int
	// retryDelay, when set, replaces River's backoff (tests make it short).
	retryDelay func(attempt int) time.Duration
}

// New prepares the service and registers its send worker on q; call it before q.Build.
// It refuses a provider configuration it cannot use, without echoing secrets.
func New(d *db.DB, q *jobs.Queue, cfg Config, log *slog.Logger) (*Service, error) {
	s := &Service{db: d, q: q, log: log, maxAttempts: 12, limiter: rate.NewLimiter(rate.Inf, 1)}
	if cfg.SMTP != "" {
		m, err := newMailer(cfg.SMTP, cfg.From, cfg.SMTPRootCAs)
		if err != nil {
			return nil, fmt.Errorf("notify: %w", err)
		}
		s.mail = m
	}
	if cfg.SMSURL != "" {
		t, err := newTexter(cfg.SMSURL, cfg.SMSAccount, cfg.SMSToken, cfg.SMSFrom)
		if err != nil {
			return nil, fmt.Errorf("notify: %w", err)
		}
		s.sms = t
	}
	if cfg.SMSRate > 0 && !math.IsInf(cfg.SMSRate, 1) {
		s.limiter = rate.NewLimiter(rate.Limit(cfg.SMSRate), 1)
	}
	jobs.Register(q, &sender{s: s})
	return s, nil
}

// EmailConfigured reports whether e-mail goes to an SMTP server (otherwise to the outbox).
func (s *Service) EmailConfigured() bool { return s.mail != nil }

// SMSConfigured reports whether SMS goes to a provider (otherwise to the outbox).
func (s *Service) SMSConfigured() bool { return s.sms != nil }

// Observe sets a function told each time a delivery reaches a final status (for
// metrics). Call it before the queue starts.
func (s *Service) Observe(fn func(Channel, Status)) { s.observer = fn }

func (s *Service) observe(c Channel, st Status) {
	if s.observer != nil {
		s.observer(c, st)
	}
}

// parseProviderURL parses an operator's URL without ever putting it (and the password it
// may hold) in an error message.
func parseProviderURL(what, raw string, schemes ...string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s URL does not parse", what)
	}
	ok := false
	for _, s := range schemes {
		ok = ok || u.Scheme == s
	}
	if !ok {
		return nil, fmt.Errorf("%s URL must start with %s://", what, strings.Join(schemes, ":// or "))
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%s URL has no host", what)
	}
	return u, nil
}

var errNoFrom = errors.New("SMTP needs a From address (SOLIDARITY_MAIL_FROM)")
