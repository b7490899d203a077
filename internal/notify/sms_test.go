package notify

import (
	"context"
	"strings"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/testkit"
)

const smsFrom = "+15550001111"

func TestSMSDelivery(t *testing.T) {
	cases := []struct {
		name      string
		failures  []int // the provider's scripted answers before it accepts
		badToken  bool
		want      Status
		attempts  int
		requests  int // authenticated requests the provider saw
		kept      int // messages the provider holds
		errorHas  string
		jobStates string
	}{
		{name: "accepted", want: StatusSent, attempts: 1, requests: 1, kept: 1, jobStates: "completed"},
		{name: "server error then accepted", failures: []int{500}, want: StatusSent, attempts: 2, requests: 2, kept: 1, jobStates: "completed"},
		{name: "rate limited then accepted", failures: []int{429}, want: StatusSent, attempts: 2, requests: 2, kept: 1, jobStates: "completed"},
		{name: "refused with 400, not retried", failures: []int{400}, want: StatusFailed, attempts: 1, requests: 1, errorHas: "HTTP 400", jobStates: "cancelled"},
		{name: "wrong token is refused", badToken: true, want: StatusFailed, attempts: 1, errorHas: "HTTP 401", jobStates: "cancelled"},
		{name: "server errors until the last attempt", failures: []int{503, 503, 503}, want: StatusFailed, attempts: 3, requests: 3, errorHas: "HTTP 503", jobStates: "discarded"},
		{name: "connection lost after the request", failures: []int{0}, want: StatusUncertain, attempts: 1, requests: 1, kept: 1, errorHas: "sms response", jobStates: "completed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testkit.EachDB(t, func(t *testing.T, d *db.DB) {
				p := testkit.NewSMSServer(t)
				p.FailNext(c.failures...)
				token := p.Token
				if c.badToken {
					token = "not-the-token"
				}
				cfg := Config{SMSURL: p.URL, SMSAccount: p.Account, SMSToken: token, SMSFrom: smsFrom, SMSRate: 100}
				h := newHarness(t, d, cfg, true, func(s *Service) { s.maxAttempts = 3 })
				if !h.svc.SMSConfigured() || h.svc.EmailConfigured() {
					t.Fatalf("configured: sms %v email %v", h.svc.SMSConfigured(), h.svc.EmailConfigured())
				}
				body := "Reunión mañana 18:00. Responda STOP para no recibir más."
				id := mustSMS(t, h, SMS{To: "+15557654321", Body: body, Purpose: "test.sms"})
				h.waitFinal(t, id)
				states := h.waitJobsDone(t)
				got, err := h.svc.Delivery(context.Background(), id)
				if err != nil {
					t.Fatal(err)
				}
				if got.Status != c.want || got.Attempts != c.attempts {
					t.Errorf("status %s after %d attempts, want %s after %d (error %q)", got.Status, got.Attempts, c.want, c.attempts, got.Error)
				}
				if !strings.Contains(got.Error, c.errorHas) {
					t.Errorf("error %q does not mention %q", got.Error, c.errorHas)
				}
				if n := p.Requests(); n != c.requests {
					t.Errorf("provider saw %d requests, want %d", n, c.requests)
				}
				msgs := p.Messages()
				if len(msgs) != c.kept {
					t.Fatalf("provider holds %d messages, want %d", len(msgs), c.kept)
				}
				if c.kept > 0 {
					m := msgs[len(msgs)-1]
					if m.To != "+15557654321" || m.From != smsFrom || m.Body != body {
						t.Errorf("provider got To %q From %q Body %q", m.To, m.From, m.Body)
					}
					if c.want == StatusSent && got.ProviderID != m.SID {
						t.Errorf("provider id %q, want the sid %q", got.ProviderID, m.SID)
					}
				}
				if strings.Join(states, ",") != c.jobStates {
					t.Errorf("job states %v, want %s", states, c.jobStates)
				}
				h.assertNoPII(t, "+15557654321", "Reunión", p.Token)
			})
		})
	}
}

// TestSMSRate checks that the node never hands messages to the provider faster than the
// configured rate: with 10 per second, five messages span at least 0.4 s. The bound is a
// floor the limiter guarantees, so a slow machine cannot make it fail.
func TestSMSRate(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		p := testkit.NewSMSServer(t)
		cfg := Config{SMSURL: p.URL, SMSAccount: p.Account, SMSToken: p.Token, SMSFrom: smsFrom, SMSRate: 10}
		h := newHarness(t, d, cfg, false)
		var ids []int64
		err := d.InTx(context.Background(), func(tx *db.Tx) error {
			for range 5 {
				id, err := h.svc.SMS(context.Background(), tx, SMS{To: "+15557654321", Body: "Prueba", Purpose: "test.rate"})
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		h.start(t)
		for _, id := range ids {
			if got := h.waitFinal(t, id); got.Status != StatusSent {
				t.Fatalf("delivery %d: %s (%s)", id, got.Status, got.Error)
			}
		}
		msgs := p.Messages()
		if len(msgs) != 5 {
			t.Fatalf("provider holds %d messages, want 5", len(msgs))
		}
		first, last := msgs[0].At, msgs[0].At
		for _, m := range msgs {
			if m.At.Before(first) {
				first = m.At
			}
			if m.At.After(last) {
				last = m.At
			}
		}
		// The first arrival may lag its permit by scheduling; allow 50 ms of that.
		if span := last.Sub(first); span < 350*time.Millisecond {
			t.Errorf("5 messages at 10/s arrived within %v, want at least 400ms", span)
		}
	})
}
