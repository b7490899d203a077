package giving_test

// Benchmarks of the public side of giving, through the whole app's HTTP handler (every
// middleware, the router, the service, SQLite). The figures in the README come from:
//
//	go test ./internal/giving/ -run '^$' -bench 'DonationPage|Webhook' -benchtime 2000x
//
// BenchmarkDonationPage reports the 95th percentile of one render (p95-ms).
// BenchmarkWebhook reports events/s for signed Stripe events (each a one-time gift that
// creates its donor, a timeline entry, the receipt and the audit record), delivered by 8
// concurrent senders, one in ten delivered twice; afterwards it checks that every event
// made exactly one gift and none is left unprocessed.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/config"
	"solidarity/internal/giving"
	"solidarity/internal/testkit"
)

const benchSecret = "whsec_bench"

// benchApp opens a node on a fresh SQLite database with card giving configured (no call
// to Stripe is made: pages render and webhooks arrive without one) and a published page.
func benchApp(b *testing.B) *app.App {
	b.Helper()
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.StripeSecretKey, cfg.StripeWebhookSecret, cfg.StripeAPIBase = testkit.StripeKey, benchSecret, "http://127.0.0.1:9"
	cfg.LogLevel = "error"
	a, err := app.Open(context.Background(), cfg, testkit.Logger())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	if _, err := a.Giving.SavePage(context.Background(), auth.System("bench"), 0, giving.Page{Slug: "bail-fund",
		TitleEn: "Bail fund", TitleEs: "Fondo de fianzas", StoryEn: "When a neighbour is detained, bail brings them home.\n\nEvery gift counts.",
		StoryEs: "Cuando detienen a un vecino, la fianza lo trae a casa.\n\nCada donación cuenta.", ThanksEn: "Thank you.", ThanksEs: "Gracias.",
		Amounts: []int64{1000, 2500, 5000, 10000}, AllowCustom: true, Currency: "usd", Frequency: giving.FrequencyBoth,
		GoalCents: 2_000_000, Published: true}); err != nil {
		b.Fatal(err)
	}
	return a
}

func BenchmarkDonationPage(b *testing.B) {
	a := benchApp(b)
	h := a.Handler()
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lang := "en"
		if i%2 == 1 {
			lang = "es"
		}
		req := httptest.NewRequest(http.MethodGet, "/give/bail-fund?lang="+lang, nil)
		req.RemoteAddr = "198.51.100.1:4000"
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		took = append(took, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
}

func BenchmarkWebhook(b *testing.B) {
	a := benchApp(b)
	h := a.Handler()
	ctx := context.Background()
	// One checkout row per event, as the donation form would have made them.
	var first int64
	if err := a.DB.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM giving_checkouts").Scan(&first); err != nil {
		b.Fatal(err)
	}
	if err := benchCheckouts(a, b.N); err != nil {
		b.Fatal(err)
	}
	// The signed deliveries: event i is a paid one-time Checkout of checkout first+i.
	bodies := make([][]byte, b.N)
	headers := make([]string, b.N)
	now := time.Now()
	for i := range bodies {
		cid := first + int64(i)
		payload, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("evt_bench_%d", i), "object": "event",
			"type": string(stripe.EventTypeCheckoutSessionCompleted), "created": now.Unix(), "api_version": stripe.APIVersion,
			"data": map[string]any{"object": map[string]any{"id": fmt.Sprintf("cs_bench_%d", i), "object": "checkout.session",
				"mode": "payment", "payment_status": "paid", "amount_total": 2500, "currency": "usd",
				"payment_intent": fmt.Sprintf("pi_bench_%d", i), "metadata": map[string]string{"solidarity_checkout": fmt.Sprint(cid)}}}})
		sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: benchSecret, Timestamp: now})
		bodies[i], headers[i] = sp.Payload, sp.Header
	}
	var next atomic.Int64
	deliver := func(i int) {
		req := httptest.NewRequest(http.MethodPost, giving.WebhookPath, bytes.NewReader(bodies[i]))
		req.Header.Set("Stripe-Signature", headers[i])
		req.RemoteAddr = "203.0.113.9:443"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			panic(fmt.Sprintf("event %d: %d %s", i, rec.Code, rec.Body.String()))
		}
	}
	b.SetParallelism(4) // 8 senders on 2 cores
	b.ResetTimer()
	start, cpu0 := time.Now(), benchCPU()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1) - 1)
			deliver(i)
			if i%10 == 0 {
				deliver(i) // Stripe delivers some events twice
			}
		}
	})
	elapsed, cpu := time.Since(start), benchCPU()-cpu0
	b.StopTimer()
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/event")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
	var gifts, unprocessed, events int
	if err := a.DB.QueryRowContext(ctx, "SELECT COUNT(*), COUNT(DISTINCT stripe_payment_intent) FROM giving_gifts").Scan(&gifts, &events); err != nil {
		b.Fatal(err)
	}
	if gifts != b.N || events != b.N {
		b.Fatalf("%d gifts (%d distinct payments) for %d events", gifts, events, b.N)
	}
	if err := a.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM giving_events WHERE processed_at IS NULL").Scan(&unprocessed); err != nil || unprocessed != 0 {
		b.Fatalf("%d events unprocessed (%v)", unprocessed, err)
	}
}

// benchCheckouts inserts n checkout rows, as n donation forms would have.
func benchCheckouts(a *app.App, n int) error {
	ctx := context.Background()
	var pageID int64
	if err := a.DB.QueryRowContext(ctx, "SELECT id FROM giving_pages WHERE slug = 'bail-fund'").Scan(&pageID); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if _, err := a.DB.ExecContext(ctx, `INSERT INTO giving_checkouts (kind, page_id, amount_cents, currency, frequency, donor_name,
			donor_email, language, email_opt_in, created_at) VALUES ('donation', ?, 2500, 'usd', 'once', ?, ?, ?, FALSE, ?)`,
			pageID, fmt.Sprintf("Donor\t%d", i), fmt.Sprintf("donor%d@example.org", i), []string{"en", "es"}[i%2], time.Now().UTC()); err != nil {
			return err
		}
	}
	return nil
}

// benchCPU is the CPU time (user and system) the test process has used so far: on a
// machine shared with other work, the figure that does not depend on the neighbours.
func benchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
