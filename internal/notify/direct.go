package notify

import (
	"context"
	"net/http"
)

// DirectOutcome is what became of one message handed to a provider by a Direct sender.
type DirectOutcome int

// The outcomes of a direct send.
const (
	// DirectSent: the provider took the message (or, with no provider configured, it was
	// kept in the outbox).
	DirectSent DirectOutcome = iota
	// DirectRetry: the provider certainly did not take it; it may be tried again.
	DirectRetry
	// DirectRefused: the provider refused this message for good.
	DirectRefused
	// DirectUnknown: the message may or may not have left; it must not be sent again.
	DirectUnknown
)

// DirectResult is one direct send's outcome. Code is a short fixed description ("sms http
// 500", "smtp rcpt 550") that names no recipient: safe for logs and tables.
type DirectResult struct {
	Outcome DirectOutcome
	Code    string
}

// Direct hands messages to the configured providers at once, for a module that keeps its
// own per-recipient record of a large send (rapid response alerts) and so needs neither
// the delivery log nor a job per message. It reuses the service's SMS and SMTP clients,
// with a connection pool sized for the caller's concurrency; it applies no rate limit of
// its own (the caller spaces its sends). With no provider configured for a channel, each
// message is kept in the outbox, sealed by the vault like any sensitive delivery. A
// Direct is safe for concurrent use.
type Direct struct {
	s   *Service
	sms *texter
}

// Direct returns a sender that keeps up to concurrency connections to the SMS provider
// open (so that many concurrent sends reuse them instead of opening one each).
func (s *Service) Direct(concurrency int) *Direct {
	d := &Direct{s: s}
	if s.sms != nil {
		t := *s.sms
		if tr, ok := t.client.Transport.(*http.Transport); ok {
			tr = tr.Clone()
			tr.MaxIdleConns = max(tr.MaxIdleConns, concurrency)
			tr.MaxIdleConnsPerHost = max(tr.MaxIdleConnsPerHost, concurrency)
			c := *t.client
			c.Transport = tr
			t.client = &c
		}
		d.sms = &t
	}
	return d
}

// SMSConfigured reports whether SMS goes to a provider (otherwise to the outbox).
func (d *Direct) SMSConfigured() bool { return d.sms != nil }

// EmailConfigured reports whether e-mail goes to an SMTP server (otherwise to the outbox).
func (d *Direct) EmailConfigured() bool { return d.s.mail != nil }

// SMS validates m and hands it to the SMS provider now.
func (d *Direct) SMS(ctx context.Context, m SMS) DirectResult {
	m.normalize()
	if err := m.Validate(); err != nil {
		return DirectResult{Outcome: DirectRefused, Code: "invalid sms"}
	}
	if d.sms == nil {
		return d.outbox(ctx, delivery{channel: ChannelSMS, to: m.To, text: m.Body, purpose: m.Purpose, sealed: true})
	}
	return directResult(d.sms.send(ctx, m.To, m.Body))
}

// Email validates m and hands it to the SMTP server now.
func (d *Direct) Email(ctx context.Context, m Email) DirectResult {
	m.normalize()
	if err := m.Validate(); err != nil {
		return DirectResult{Outcome: DirectRefused, Code: "invalid email"}
	}
	dl := delivery{channel: ChannelEmail, to: m.To, subject: m.Subject, text: m.Text, html: m.HTML, purpose: m.Purpose, sealed: true}
	if d.s.mail == nil {
		return d.outbox(ctx, dl)
	}
	return directResult(d.s.sendEmail(ctx, dl))
}

// outbox keeps a message in the outbox, sealed, in a transaction of its own. Without a
// vault (or with it sealed) nothing is kept in the clear: the message waits for a retry.
func (d *Direct) outbox(ctx context.Context, dl delivery) DirectResult {
	if _, err := d.s.record(ctx, nil, dl, false); err != nil {
		return DirectResult{Outcome: DirectRetry, Code: "outbox"}
	}
	return DirectResult{Outcome: DirectSent}
}

func directResult(r result) DirectResult {
	switch r.outcome {
	case outcomeSent:
		return DirectResult{Outcome: DirectSent}
	case outcomeRefused:
		return DirectResult{Outcome: DirectRefused, Code: r.code}
	case outcomeUnknown:
		return DirectResult{Outcome: DirectUnknown, Code: r.code}
	default:
		return DirectResult{Outcome: DirectRetry, Code: r.code}
	}
}
