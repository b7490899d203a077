package notify

import (
	"bytes"
	"context"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
	"solidarity/internal/vault"
)

// A sensitive SMS keeps its number and body only as vault ciphertext in the delivery log;
// the worker decrypts them to send, and the log shows them decrypted while the vault is
// open and not at all once it is sealed.
func TestSensitiveDeliveryIsSealed(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		p := testkit.NewSMSServer(t)
		v := vault.New(d, testkit.Logger())
		if err := v.InitEphemeral(ctx); err != nil {
			t.Fatal(err)
		}
		cfg := Config{SMSURL: p.URL, SMSAccount: p.Account, SMSToken: p.Token, SMSFrom: smsFrom}
		h := newHarness(t, d, cfg, true, func(s *Service) { s.SetSealer(v) })

		const phone, body = "+15557654321", "Un despachador le responde: ¿sigue ahí?"
		id := mustSMS(t, h, SMS{To: phone, Body: body, Purpose: "test.sensitive", Sensitive: true})
		got := h.waitFinal(t, id)
		if got.Status != StatusSent || !got.Sealed || got.To != phone || got.Text != body {
			t.Fatalf("delivery = %+v; want sent, sealed, shown decrypted", got)
		}
		msgs := p.Messages()
		if len(msgs) != 1 || msgs[0].To != phone || msgs[0].Body != body {
			t.Fatalf("provider got %+v", msgs)
		}
		var recipient, text string
		var ct []byte
		if err := d.QueryRowContext(ctx, "SELECT recipient, body_text, sealed_fields FROM deliveries WHERE id = ?", id).Scan(&recipient, &text, &ct); err != nil {
			t.Fatal(err)
		}
		if recipient != "" || text != "" || len(ct) == 0 || bytes.Contains(ct, []byte(phone)) || bytes.Contains(ct, []byte("despachador")) {
			t.Fatalf("stored row holds plaintext: recipient %q text %q sealed %q", recipient, text, ct)
		}

		if err := v.Seal(ctx); err != nil {
			t.Fatal(err)
		}
		shown, err := h.svc.Delivery(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !shown.Sealed || shown.To != "" || shown.Text != "" {
			t.Fatalf("with the vault sealed the log shows %+v", shown)
		}
		if _, err := h.svc.SMS(ctx, nil, SMS{To: phone, Body: body, Purpose: "test.sensitive", Sensitive: true}); errs.CodeOf(err) != errs.CodeSealed {
			t.Fatalf("a sensitive SMS with the vault sealed = %v; want sealed", err)
		}
	})
}

// Without a vault, a sensitive message is refused rather than stored in clear.
func TestSensitiveDeliveryNeedsAVault(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d, Config{}, false)
		if _, err := h.svc.SMS(context.Background(), nil, SMS{To: "+15557654321", Body: "x", Purpose: "test.sensitive", Sensitive: true}); err == nil {
			t.Fatal("a sensitive SMS was stored without a vault")
		}
		var n int
		if err := h.d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM deliveries").Scan(&n); err != nil || n != 0 {
			t.Fatalf("deliveries = %d, %v", n, err)
		}
	})
}
