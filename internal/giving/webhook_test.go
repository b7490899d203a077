package giving

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/people"
	"solidarity/internal/testkit"
)

// cardDonor is the form of the tests' donor.
var cardDonor = GiftRequest{GivenName: "María", FamilyName: "López", Email: "maria@example.org", Language: "es", EmailOptIn: true}

func TestOneTimeGiftFromPageToTimeline(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newCard(t, d, true)
		page := e.page(t, "bail-fund")
		req := cardDonor
		req.Slug, req.Amount, req.Frequency = "bail-fund", "2500", FrequencyOnce
		cid := e.give(t, req)
		now := time.Now()
		e.deliver(t, "evt_once_1", stripe.EventTypeCheckoutSessionCompleted, now, cardSession(cid, "payment", "pi_once_1", "", 2500))
		// Stripe delivers it again: nothing more happens.
		e.deliver(t, "evt_once_1", stripe.EventTypeCheckoutSessionCompleted, now, cardSession(cid, "payment", "pi_once_1", "", 2500))
		// A second, different event about the same payment changes nothing either.
		e.deliver(t, "evt_once_2", stripe.EventTypeCheckoutSessionAsyncPaymentSucceeded, now, cardSession(cid, "payment", "pi_once_1", "", 2500))

		if n := e.count(t, "SELECT COUNT(*) FROM giving_gifts"); n != 1 {
			t.Fatalf("%d gifts, want 1", n)
		}
		var g struct {
			person, pageID        int64
			amount                int64
			email, name, lang, pi string
		}
		if err := d.QueryRowContext(context.Background(), `SELECT person_id, page_id, amount_cents, donor_email, donor_name, language,
			stripe_payment_intent FROM giving_gifts`).Scan(&g.person, &g.pageID, &g.amount, &g.email, &g.name, &g.lang, &g.pi); err != nil {
			t.Fatal(err)
		}
		if g.pageID != page.ID || g.amount != 2500 || g.email != "maria@example.org" || g.name != "María López" || g.lang != "es" || g.pi != "pi_once_1" {
			t.Errorf("gift %+v", g)
		}
		p, err := e.people.Get(context.Background(), auth.System("test"), g.person)
		if err != nil {
			t.Fatal(err)
		}
		if p.GivenName != "María" || p.FamilyName != "López" || p.Language != "es" || p.CreatedVia != "giving" {
			t.Errorf("person %+v", p)
		}
		if c := p.ConsentFor(people.ChannelEmail); c.Status != people.ConsentPending {
			t.Errorf("e-mail consent %+v, want pending until confirmed", c)
		}
		if n := len(e.mail.sent("people.join_confirm")); n != 1 {
			t.Errorf("%d confirmation mails, want 1 (double opt-in)", n)
		}
		tl, err := e.people.Timeline(context.Background(), cardOrganizer, g.person, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, ev := range tl.Events {
			found = found || ev.Kind == "giving.gift"
		}
		if !found {
			t.Errorf("no gift on the timeline: %+v", tl.Events)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM giving_events WHERE processed_at IS NOT NULL"); n != 2 {
			t.Errorf("%d processed events, want 2", n)
		}
	})
}

func TestKnownDonorIsMatchedNotOverwritten(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newCard(t, d, true)
		e.page(t, "bail-fund")
		known, err := e.people.Create(context.Background(), auth.System("test"), people.PersonInput{
			GivenName: "Mary", Emails: []string{"maria@example.org"}, Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		req := cardDonor
		req.Slug, req.Amount, req.Frequency, req.EmailOptIn = "bail-fund", "1000", FrequencyOnce, false
		cid := e.give(t, req)
		e.deliver(t, "evt_known", stripe.EventTypeCheckoutSessionCompleted, time.Now(), cardSession(cid, "payment", "pi_known", "", 1000))
		p, err := e.people.Get(context.Background(), auth.System("test"), known.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The family name was empty, so it is filled; the given name and language stay.
		if p.GivenName != "Mary" || p.FamilyName != "López" || p.Language != "en" {
			t.Errorf("known person changed: %+v", p)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM people"); n != 1 {
			t.Errorf("%d people, want the known one only", n)
		}
		if c := p.ConsentFor(people.ChannelEmail); c.Status != "" {
			t.Errorf("consent recorded without the box ticked: %+v", c)
		}
	})
}

func TestForgedSignatureIsRefusedAndNothingStored(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newCard(t, d, true)
		e.page(t, "bail-fund")
		req := cardDonor
		req.Slug, req.Amount, req.Frequency = "bail-fund", "2500", FrequencyOnce
		cid := e.give(t, req)
		payload := cardEventPayload(t, "evt_forged", stripe.EventTypeCheckoutSessionCompleted, time.Now(), cardSession(cid, "payment", "pi_forged", "", 2500))
		ctx := context.Background()
		body, forged := cardSign(payload, "whsec_someone_else")
		for name, header := range map[string]string{"wrong secret": forged, "missing": "", "garbage": "t=1,v1=abc"} {
			if err := e.s.ReceiveStripeEvent(ctx, body, header); errs.CodeOf(err) != errs.CodeInvalid {
				t.Errorf("%s signature: %v", name, err)
			}
		}
		// A good signature over another body does not cover this one.
		_, good := cardSign([]byte(`{"id":"evt_other"}`), cardWebhookSecret)
		if err := e.s.ReceiveStripeEvent(ctx, body, good); errs.CodeOf(err) != errs.CodeInvalid {
			t.Errorf("signature of another body: %v", err)
		}
		// An old signature (replayed after the five-minute tolerance) is refused too.
		sp := cardOldSign(payload, cardWebhookSecret, time.Now().Add(-10*time.Minute))
		if err := e.s.ReceiveStripeEvent(ctx, body, sp); errs.CodeOf(err) != errs.CodeInvalid {
			t.Errorf("stale signature: %v", err)
		}
		for _, table := range []string{"giving_events", "giving_gifts", "people"} {
			if n := e.count(t, "SELECT COUNT(*) FROM "+table); n != 0 {
				t.Errorf("%d rows in %s after forged events", n, table)
			}
		}
	})
}

func TestMonthlyGiftFailsThenSucceeds(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newCard(t, d, true)
		e.page(t, "monthly")
		req := cardDonor
		req.Slug, req.Amount, req.Frequency = "monthly", "2500", FrequencyMonthly
		cid := e.give(t, req)
		t0 := time.Now().Add(-time.Hour)
		sub := "sub_monthly"
		e.deliver(t, "evt_m1", stripe.EventTypeCheckoutSessionCompleted, t0, cardSession(cid, "subscription", "", sub, 2500))
		e.deliver(t, "evt_m2", stripe.EventTypeInvoicePaid, t0, cardInvoice("in_1", sub, cid, 2500, "subscription_create", 1))
		if r := e.recurring(t, sub); r.Status != RecurringActive || r.AmountCents != 2500 || r.Interval != "month" || r.PersonID == 0 {
			t.Fatalf("after the first payment: %+v", r)
		}
		// A month later the renewal fails.
		e.deliver(t, "evt_m3", stripe.EventTypeInvoicePaymentFailed, t0.Add(10*time.Minute), cardInvoice("in_2", sub, cid, 0, "subscription_cycle", 1))
		r := e.recurring(t, sub)
		if r.Status != RecurringPastDue || r.FailedAt == nil {
			t.Fatalf("after the failure: %+v", r)
		}
		failed := e.mail.sent("giving.recurring_failed")
		if len(failed) != 1 {
			t.Fatalf("%d failure mails, want 1", len(failed))
		}
		m := failed[0]
		if m.To != "maria@example.org" || !strings.Contains(m.Subject, "$25") || !strings.Contains(m.Text, "https://network.example.org"+ManagePath) ||
			!strings.Contains(m.Text, "tarjeta") {
			t.Errorf("failure mail (want Spanish, with the manage link): %+v", m)
		}
		// Stripe's second attempt fails too: no second mail.
		e.deliver(t, "evt_m4", stripe.EventTypeInvoicePaymentFailed, t0.Add(20*time.Minute), cardInvoice("in_2", sub, cid, 0, "subscription_cycle", 2))
		if n := len(e.mail.sent("giving.recurring_failed")); n != 1 {
			t.Errorf("%d failure mails after the retry, want 1", n)
		}
		// The donor updates the card and the retry succeeds.
		e.deliver(t, "evt_m5", stripe.EventTypeInvoicePaid, t0.Add(30*time.Minute), cardInvoice("in_2", sub, cid, 2500, "subscription_cycle", 3))
		if r := e.recurring(t, sub); r.Status != RecurringActive {
			t.Fatalf("after the successful retry: %+v", r)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM giving_gifts WHERE recurring_id IS NOT NULL"); n != 2 {
			t.Errorf("%d gifts, want 2 (one per paid invoice)", n)
		}
		// Staff see it among the failing gifts while it failed; now it is not.
		list, err := e.s.RecurringGifts(context.Background(), cardOrganizer, FilterFailing)
		if err != nil || len(list) != 0 {
			t.Errorf("failing list now %+v %v", list, err)
		}
		// After Stripe's last retry of another renewal, the subscription ends: lapsed.
		e.deliver(t, "evt_m6", stripe.EventTypeCustomerSubscriptionDeleted, t0.Add(50*time.Minute),
			cardSubscription(sub, cid, "canceled", 2500, "payment_failed"))
		if r := e.recurring(t, sub); r.Status != RecurringLapsed || r.LapsedAt == nil {
			t.Fatalf("after the final failure: %+v", r)
		}
		list, err = e.s.RecurringGifts(context.Background(), cardOrganizer, FilterFailing)
		if err != nil || len(list) != 1 {
			t.Errorf("failing list %+v %v", list, err)
		}
	})
}

func TestOutOfOrderAndDuplicateEventsCountOnce(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newCard(t, d, true)
		e.page(t, "monthly")
		req := cardDonor
		req.Slug, req.Amount, req.Frequency = "monthly", "5000", FrequencyMonthly
		cid := e.give(t, req)
		t0 := time.Now().Add(-time.Hour)
		sub := "sub_ooo"
		// The first invoice arrives before the Checkout event, and twice.
		e.deliver(t, "evt_o2", stripe.EventTypeInvoicePaid, t0.Add(2*time.Second), cardInvoice("in_o1", sub, cid, 5000, "subscription_create", 1))
		e.deliver(t, "evt_o2", stripe.EventTypeInvoicePaid, t0.Add(2*time.Second), cardInvoice("in_o1", sub, cid, 5000, "subscription_create", 1))
		// A later subscription update (amount raised to $60) before its older creation event.
		e.deliver(t, "evt_o4", stripe.EventTypeCustomerSubscriptionUpdated, t0.Add(4*time.Second), cardSubscription(sub, cid, "active", 6000, ""))
		e.deliver(t, "evt_o1", stripe.EventTypeCustomerSubscriptionCreated, t0, cardSubscription(sub, cid, "incomplete", 5000, ""))
		e.deliver(t, "evt_o3", stripe.EventTypeCheckoutSessionCompleted, t0.Add(time.Second), cardSession(cid, "subscription", "", sub, 5000))
		r := e.recurring(t, sub)
		if r.Status != RecurringActive || r.AmountCents != 6000 {
			t.Errorf("recurring gift %+v, want active at $60 (the newest news)", r)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM giving_recurring"); n != 1 {
			t.Errorf("%d recurring gifts, want 1", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM giving_gifts"); n != 1 {
			t.Errorf("%d gifts, want 1 (the first invoice, once)", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM people"); n != 1 {
			t.Errorf("%d people, want 1", n)
		}
		// The donor cancels; an older "active" update that arrives late does not revive it.
		e.deliver(t, "evt_o6", stripe.EventTypeCustomerSubscriptionDeleted, t0.Add(time.Minute), cardSubscription(sub, cid, "canceled", 6000, "cancellation_requested"))
		e.deliver(t, "evt_o5", stripe.EventTypeCustomerSubscriptionUpdated, t0.Add(30*time.Second), cardSubscription(sub, cid, "past_due", 6000, ""))
		if r := e.recurring(t, sub); r.Status != RecurringCancelled {
			t.Errorf("after cancel and a late update: %+v", r)
		}
		// The invoice's payment is linked to its gift whichever comes first, so that a refund
		// finds it; the refund event, delivered twice and then an older partial one, counts once.
		e.deliver(t, "evt_o7", stripe.EventTypeInvoicePaymentPaid, t0.Add(3*time.Second), map[string]any{
			"id": "inpay_1", "object": "invoice_payment", "invoice": "in_o1",
			"payment": map[string]any{"type": "payment_intent", "payment_intent": "pi_o1", "charge": "ch_o1"}})
		e.deliver(t, "evt_o8", stripe.EventTypeChargeRefunded, t0.Add(2*time.Minute), cardCharge("ch_o1", "pi_o1", 5000, 2000))
		e.deliver(t, "evt_o8", stripe.EventTypeChargeRefunded, t0.Add(2*time.Minute), cardCharge("ch_o1", "pi_o1", 5000, 2000))
		e.deliver(t, "evt_o9", stripe.EventTypeChargeRefunded, t0.Add(time.Minute), cardCharge("ch_o1", "pi_o1", 5000, 1000))
		var refunded int64
		var status string
		if err := d.QueryRowContext(context.Background(), "SELECT refunded_cents, status FROM giving_gifts").Scan(&refunded, &status); err != nil {
			t.Fatal(err)
		}
		if refunded != 2000 || status != string(GiftPartiallyRefunded) {
			t.Errorf("refund %d %s, want 2000 partially_refunded", refunded, status)
		}
	})
}

func TestFailedApplyIsKeptAndRetriedByTheJob(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newCard(t, d, true)
		e.page(t, "bail-fund")
		req := cardDonor
		req.Slug, req.Amount, req.Frequency = "bail-fund", "2500", FrequencyOnce
		cid := e.give(t, req)
		ctx := context.Background()
		now := time.Now()
		// The refund comes before the payment it refunds: it cannot be applied yet.
		e.deliver(t, "evt_refund_early", stripe.EventTypeChargeRefunded, now, cardCharge("ch_r", "pi_r", 2500, 2500))
		var processed *time.Time
		var attempts int
		var lastError string
		if err := d.QueryRowContext(ctx, "SELECT processed_at, attempts, last_error FROM giving_events WHERE id = 'evt_refund_early'").
			Scan(&processed, &attempts, &lastError); err != nil {
			t.Fatal(err)
		}
		if processed != nil || lastError == "" {
			t.Fatalf("early refund: processed %v, error %q; want kept unprocessed with its error", processed, lastError)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM river_job WHERE kind = 'giving.stripe_event'"); n != 1 {
			t.Fatalf("%d retry jobs, want 1", n)
		}
		// The job runs before the payment has arrived: it fails again and is noted.
		if err := e.s.RetryEvent(ctx, "evt_refund_early"); err == nil {
			t.Fatal("retry before the payment succeeded")
		}
		if err := d.QueryRowContext(ctx, "SELECT attempts FROM giving_events WHERE id = 'evt_refund_early'").Scan(&attempts); err != nil || attempts != 2 {
			t.Errorf("attempts %d %v, want 2", attempts, err)
		}
		e.deliver(t, "evt_paid", stripe.EventTypeCheckoutSessionCompleted, now, cardSession(cid, "payment", "pi_r", "", 2500))
		if err := e.s.RetryEvent(ctx, "evt_refund_early"); err != nil {
			t.Fatalf("retry after the payment: %v", err)
		}
		// A retry of a processed event (a job run twice) changes nothing.
		if err := e.s.RetryEvent(ctx, "evt_refund_early"); err != nil {
			t.Fatal(err)
		}
		var refunded int64
		var status string
		if err := d.QueryRowContext(ctx, "SELECT refunded_cents, status FROM giving_gifts").Scan(&refunded, &status); err != nil {
			t.Fatal(err)
		}
		if refunded != 2500 || status != string(GiftRefunded) {
			t.Errorf("after the retry: refunded %d, status %s", refunded, status)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM giving_events WHERE processed_at IS NULL"); n != 0 {
			t.Errorf("%d events still unprocessed", n)
		}
	})
}

func TestRetryJobRunsInTheQueue(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	e := newCard(t, d, true)
	e.page(t, "bail-fund")
	req := cardDonor
	req.Slug, req.Amount, req.Frequency = "bail-fund", "2500", FrequencyOnce
	cid := e.give(t, req)
	now := time.Now()
	e.deliver(t, "evt_early", stripe.EventTypeChargeRefunded, now, cardCharge("ch_q", "pi_q", 2500, 500))
	e.deliver(t, "evt_pay", stripe.EventTypeCheckoutSessionCompleted, now, cardSession(cid, "payment", "pi_q", "", 2500))
	// Make the retry due now and work the queue.
	if _, err := d.ExecContext(context.Background(), "UPDATE river_job SET scheduled_at = ? WHERE kind = 'giving.stripe_event'", time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := e.s.jobs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = e.s.jobs.Stop(context.Background()) }()
	deadline := time.Now().Add(15 * time.Second)
	for e.count(t, "SELECT COUNT(*) FROM giving_gifts WHERE refunded_cents = 500") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the retry job did not apply the refund")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cardOldSign signs payload as of at.
func cardOldSign(payload []byte, secret string, at time.Time) string {
	_, h := cardSignAt(payload, secret, at)
	return h
}

// Deliveries that arrive together share transactions (webhook_batch.go): each still counts
// once, and one that cannot be applied leaves the others applied.
func TestConcurrentDeliveriesCountOnceEach(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newCard(t, d, true)
		e.page(t, "bail-fund")
		const n = 12
		var ids [n]int64
		for i := range ids {
			req := cardDonor
			req.Slug, req.Amount, req.Frequency, req.Email = "bail-fund", "1000", FrequencyOnce, fmt.Sprintf("d%d@example.org", i)
			ids[i] = e.give(t, req)
		}
		now := time.Now()
		var wg sync.WaitGroup
		errc := make(chan error, 3*n)
		send := func(id string, typ stripe.EventType, obj any) {
			defer wg.Done()
			body, header := cardSign(cardEventPayload(t, id, typ, now, obj), cardWebhookSecret)
			errc <- e.s.ReceiveStripeEvent(context.Background(), body, header)
		}
		for i, cid := range ids {
			session := cardSession(cid, "payment", fmt.Sprintf("pi_c%d", i), "", 1000)
			wg.Add(3)
			go send(fmt.Sprintf("evt_c%d", i), stripe.EventTypeCheckoutSessionCompleted, session)
			go send(fmt.Sprintf("evt_c%d", i), stripe.EventTypeCheckoutSessionCompleted, session) // twice at once
			go send(fmt.Sprintf("evt_r%d", i), stripe.EventTypeChargeRefunded, cardCharge(fmt.Sprintf("ch_none%d", i), "pi_unknown", 1000, 1000))
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Fatalf("delivery: %v", err)
			}
		}
		if got := e.count(t, "SELECT COUNT(*) FROM giving_gifts"); got != n {
			t.Errorf("%d gifts, want %d", got, n)
		}
		if got := e.count(t, "SELECT COUNT(*) FROM giving_events WHERE processed_at IS NOT NULL"); got != n {
			t.Errorf("%d processed events, want %d", got, n)
		}
		if got := e.count(t, "SELECT COUNT(*) FROM giving_events WHERE processed_at IS NULL AND last_error <> ''"); got != n {
			t.Errorf("%d refunds waiting, want %d", got, n)
		}
		if got := e.count(t, "SELECT COUNT(*) FROM river_job WHERE kind = 'giving.stripe_event'"); got != n {
			t.Errorf("%d retry jobs, want %d", got, n)
		}
	})
}

// The sweep forgets what card giving no longer needs: month-old checkouts (the name and
// address a donor typed) and the payloads of month-old processed events, keeping each
// event's id so that a late redelivery is still a no-op.
func TestSweepForgetsOldCheckoutsAndPayloads(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	e := newCard(t, d, true)
	e.page(t, "bail-fund")
	req := cardDonor
	req.Slug, req.Amount, req.Frequency = "bail-fund", "2500", FrequencyOnce
	cid := e.give(t, req)
	session := cardSession(cid, "payment", "pi_old", "", 2500)
	e.deliver(t, "evt_old", stripe.EventTypeCheckoutSessionCompleted, time.Now(), session)
	old := time.Now().Add(-31 * 24 * time.Hour)
	for _, q := range []string{"UPDATE giving_checkouts SET created_at = ?", "UPDATE giving_events SET received_at = ?"} {
		if _, err := d.ExecContext(context.Background(), q, old); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.s.SweepCard(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM giving_checkouts"); n != 0 {
		t.Errorf("%d old checkouts kept", n)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM giving_events WHERE payload = '' AND processed_at IS NOT NULL"); n != 1 {
		t.Errorf("old payload kept")
	}
	e.deliver(t, "evt_old", stripe.EventTypeCheckoutSessionCompleted, time.Now(), session)
	if n := e.count(t, "SELECT COUNT(*) FROM giving_gifts"); n != 1 {
		t.Errorf("%d gifts after a late redelivery", n)
	}
}
