package response

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/notify"
	"solidarity/internal/testkit"
)

// ralSubscribers counts subscriptions by status.
func ralSubscribers(t *testing.T, h *ralHarness) map[SubscriberStatus]int {
	t.Helper()
	rows, err := h.d.QueryContext(context.Background(), "SELECT status, COUNT(*) FROM response_subscribers GROUP BY status")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[SubscriberStatus]int{}
	for rows.Next() {
		var st SubscriberStatus
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			t.Fatal(err)
		}
		out[st] = n
	}
	return out
}

// ralZIPsOf lists the ZIP codes of the subscription of a contact.
func ralZIPsOf(t *testing.T, h *ralHarness, ch AlertChannel, contact string) []string {
	t.Helper()
	index, err := h.v.BlindIndex(subscriberIndexField, subscriberKey(ch, contact))
	if err != nil {
		t.Fatal(err)
	}
	sub, err := subscriberByIndex(context.Background(), h.d, index)
	if err != nil || sub.ID == 0 {
		t.Fatalf("no subscription for %s: %v", contact, err)
	}
	zips, err := subscriberZIPs(context.Background(), h.d, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	return zips
}

// An SMS subscription is active at once with its consent recorded, and its confirmation
// text says how to stop. An e-mail subscription waits for its link (double opt-in). A
// second sign-up of the same contact answers the same and cannot take ZIP codes away or
// change the language. Contacts are stored encrypted.
func TestSubscribe(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := ralNew(t, d, ralOptions{noSMS: true})
		ctx := context.Background()

		err := h.s.Subscribe(ctx, SubscribeRequest{Contact: "(213) 555-0101", Channel: AlertSMS, ZIPs: []string{"90001"}, Language: "es", Consent: true})
		if err != nil {
			t.Fatal(err)
		}
		var method string
		var consentAt, confirmed any
		if err := d.QueryRowContext(ctx, "SELECT consent_method, consent_at, confirmed_at FROM response_subscribers WHERE channel = 'sms'").
			Scan(&method, &consentAt, &confirmed); err != nil {
			t.Fatal(err)
		}
		if method != "web_form" || consentAt == nil || confirmed != nil {
			t.Errorf("consent recorded as %q at %v (confirmed %v)", method, consentAt, confirmed)
		}
		list, err := h.notify.Outbox(ctx, notify.Page{})
		if err != nil || len(list.Deliveries) != 1 {
			t.Fatalf("outbox %+v %v", list, err)
		}
		sms := list.Deliveries[0]
		if sms.To != "+12135550101" || !sms.Sealed || !strings.Contains(sms.Text, "ALTO") || !strings.Contains(sms.Text, LeavePath) {
			t.Errorf("confirmation SMS %+v", sms)
		}

		// The same number again, with other ZIP codes and English: ZIPs added, language kept.
		if err := h.s.Subscribe(ctx, SubscribeRequest{Contact: "+12135550101", Channel: AlertSMS, ZIPs: []string{"90002"}, Language: "en", Consent: true}); err != nil {
			t.Fatal(err)
		}
		if got := ralZIPsOf(t, h, AlertSMS, "+12135550101"); strings.Join(got, ",") != "90001,90002" {
			t.Errorf("zips after a second sign-up: %v", got)
		}
		var lang string
		_ = d.QueryRowContext(ctx, "SELECT language FROM response_subscribers WHERE channel = 'sms'").Scan(&lang)
		if lang != "es" {
			t.Errorf("language changed to %q by a second sign-up", lang)
		}

		// E-mail: pending until the link is used.
		if err := h.s.Subscribe(ctx, SubscribeRequest{Contact: "Rosa@Example.org", Channel: AlertEmail, ZIPs: []string{"90003"}, Language: "es", Consent: true}); err != nil {
			t.Fatal(err)
		}
		if got := ralSubscribers(t, h); got[SubscriberPending] != 1 || got[SubscriberActive] != 1 {
			t.Fatalf("subscribers %v", got)
		}
		token := ralLink(t, h, "rosa@example.org", SubscribeConfirmPath)
		lang, err = h.s.ConfirmSubscription(ctx, token)
		if err != nil || lang != "es" {
			t.Fatalf("confirm: %q %v", lang, err)
		}
		if got := ralSubscribers(t, h); got[SubscriberActive] != 2 {
			t.Fatalf("subscribers after confirming %v", got)
		}
		if _, err := h.s.ConfirmSubscription(ctx, token); errs.CodeOf(err) != errs.CodeNotFound {
			t.Errorf("a used link: %v", err)
		}

		// Someone types the confirmed address again with other ZIP codes: nothing changes
		// until the owner uses the new link.
		if err := h.s.Subscribe(ctx, SubscribeRequest{Contact: "rosa@example.org", Channel: AlertEmail, ZIPs: []string{"78701"}, Language: "en", Consent: true}); err != nil {
			t.Fatal(err)
		}
		if got := ralZIPsOf(t, h, AlertEmail, "rosa@example.org"); strings.Join(got, ",") != "90003" {
			t.Errorf("zips changed before confirmation: %v", got)
		}

		// Bad input: each field named, nothing stored.
		err = h.s.Subscribe(ctx, SubscribeRequest{Contact: "12", Channel: AlertSMS, ZIPs: []string{"123"}, Language: "fr"})
		for _, f := range []string{"contact", "zips", "language", "consent"} {
			if !strings.Contains(strings.Join(errsFields(err), " "), f) {
				t.Errorf("no %s error in %v", f, err)
			}
		}

		// No contact in clear in the table.
		rows, err := d.QueryContext(ctx, "SELECT contact, contact_index FROM response_subscribers")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var ct []byte
			var index string
			if err := rows.Scan(&ct, &index); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(ct, []byte("5550101")) || bytes.Contains(ct, []byte("rosa")) || strings.Contains(index, "rosa") {
				t.Errorf("a contact is stored in clear: %q %q", ct, index)
			}
		}
	})
}

// A leave link ends a subscription at once; so does STOP/ALTO (smsLeave, which the SMS
// webhook calls). Both delete the contact and its ZIP codes.
func TestLeave(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := ralNew(t, d, ralOptions{noSMS: true})
		ctx := context.Background()
		h.subscribe(t, AlertEmail, "ana@example.org", "en", "90001")
		h.subscribe(t, AlertSMS, ralPhone(102), "es", "90001")
		h.subscribe(t, AlertSMS, ralPhone(103), "en", "90002")

		leave := ralLink(t, h, "ana@example.org", LeavePath)
		lang, err := h.s.Leave(ctx, leave)
		if err != nil || lang != "en" {
			t.Fatalf("leave: %q %v", lang, err)
		}
		if _, err := h.s.Leave(ctx, leave); errs.CodeOf(err) != errs.CodeNotFound {
			t.Errorf("a used leave link: %v", err)
		}
		if _, err := h.s.Leave(ctx, "not-a-token"); errs.CodeOf(err) != errs.CodeNotFound {
			t.Errorf("junk leave link: %v", err)
		}

		// STOP from the first number, in the webhook's transaction; an unknown number and a
		// malformed one change nothing.
		err = d.InTx(ctx, func(tx *db.Tx) error {
			for _, from := range []string{ralPhone(102), ralPhone(999), "garbage"} {
				if err := h.s.smsLeave(ctx, tx, from); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := ralSubscribers(t, h); got[SubscriberActive] != 1 || got[SubscriberPending] != 0 {
			t.Fatalf("subscribers left: %v", got)
		}
		var zips int
		_ = d.QueryRowContext(ctx, "SELECT COUNT(*) FROM response_subscriber_zips").Scan(&zips)
		if zips != 1 {
			t.Errorf("%d ZIP rows left, want 1", zips)
		}
	})
}
