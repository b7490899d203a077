package response

import (
	"context"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/testkit"
)

// The figure: a confirmed alert to 10,000 SMS subscribers is fully handed to a
// local fake Twilio-compatible provider within 10 s on SQLite when the provider allows
// that rate, and runs at N messages a second under a provider limit of N.
//
//	go test ./internal/response/ -run '^$' -bench BenchmarkAlert -benchtime 1x
//
// Each operation creates the alert (10,000 recipient rows in one statement), then runs the
// sender to the end: claims in batches, decrypts the numbers, posts to the provider and
// records every answer. Setting up the subscribers is outside the timer.
func BenchmarkAlert10000(b *testing.B) {
	for _, c := range []struct {
		name string
		rate float64
	}{{"unlimited", 0}, {"rate2000", 2000}} {
		b.Run(c.name, func(b *testing.B) {
			for _, dialect := range testkit.Dialects(b) {
				b.Run(string(dialect), func(b *testing.B) {
					ralBenchAlert(b, testkit.NewDB(b, dialect), c.rate, 10000)
				})
			}
		})
	}
}

func ralBenchAlert(b *testing.B, d *db.DB, rate float64, count int) {
	h := ralNew(b, d, ralOptions{rate: rate})
	ralBulkSubscribers(b, h, count, "90001")
	report := h.report(b, StateConfirmed, KindHome, "90001", "1234 Elm Street")
	ctx := context.Background()
	sent := 0
	var span time.Duration
	b.ResetTimer()
	for range b.N {
		before := len(h.sms.Messages())
		a, err := h.s.CreateAlert(ctx, ralDispatcher, AlertRequest{ReportID: report, ZIPs: []string{"90001"}, BodyEn: ralBodyEn, BodyEs: ralBodyEs})
		if err != nil {
			b.Fatal(err)
		}
		if err := newAlertSender(h.s).run(ctx, a.ID); err != nil {
			b.Fatal(err)
		}
		msgs := h.sms.Messages()[before:]
		if len(msgs) != count {
			b.Fatalf("%d messages handed over, want %d", len(msgs), count)
		}
		sent += len(msgs)
		span += msgs[len(msgs)-1].At.Sub(msgs[0].At)
	}
	b.StopTimer()
	b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "msg/s")
	b.ReportMetric(float64(sent-b.N)/span.Seconds(), "provider-msg/s")
}
