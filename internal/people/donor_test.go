package people

import (
	"context"
	"strings"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/testkit"
)

// matchDonor runs MatchDonor in its own transaction.
func matchDonor(t *testing.T, h *harness, d Donor) int64 {
	t.Helper()
	var id int64
	if err := h.d.InTx(context.Background(), func(tx *db.Tx) error {
		var err error
		id, err = h.s.MatchDonor(context.Background(), tx, d)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestMatchDonor(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		// No usable address: nobody.
		if id := matchDonor(t, h, Donor{GivenName: "Ana", Email: "not an address"}); id != 0 {
			t.Errorf("donor without an address became person %d", id)
		}
		// A new donor: a person made by giving, in their language, consent pending with a
		// confirmation mail because they ticked the box.
		id := matchDonor(t, h, Donor{GivenName: "Ana", FamilyName: "Ruiz", Email: " Ana@Example.org ", Language: "es", EmailOptIn: true})
		p, err := h.s.Get(ctx, admin, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.CreatedVia != "giving" || p.Language != "es" || p.PrimaryEmail() != "ana@example.org" || p.ConsentFor(ChannelEmail).Status != ConsentPending {
			t.Errorf("new donor %+v", p)
		}
		if mails := h.mail.sent(); len(mails) != 1 || !strings.Contains(mails[0].Text, ConfirmPath) {
			t.Errorf("confirmation mails %+v", mails)
		}
		// The same address again, with another name and no box ticked: the same person,
		// unchanged, and no more mail.
		if again := matchDonor(t, h, Donor{GivenName: "Someone Else", FamilyName: "X", Email: "ana@example.org", Language: "en"}); again != id {
			t.Errorf("matched %d, want %d", again, id)
		}
		if p2, _ := h.s.Get(ctx, admin, id); p2.GivenName != "Ana" || p2.FamilyName != "Ruiz" || p2.Language != "es" {
			t.Errorf("known donor overwritten: %+v", p2)
		}
		// Someone who revoked e-mail consent is not asked again by a donation form.
		known := h.mustCreate(t, PersonInput{GivenName: "Bea", Emails: []string{"bea@example.org"}})
		if err := h.d.InTx(ctx, func(tx *db.Tx) error {
			return h.s.RecordConsent(ctx, tx, known.ID, ChannelEmail, ConsentRevoked, MethodLink)
		}); err != nil {
			t.Fatal(err)
		}
		before := len(h.mail.sent())
		matchDonor(t, h, Donor{GivenName: "Bea", Email: "bea@example.org", EmailOptIn: true})
		if p3, _ := h.s.Get(ctx, admin, known.ID); p3.ConsentFor(ChannelEmail).Status != ConsentRevoked || len(h.mail.sent()) != before {
			t.Errorf("revoked consent changed: %+v, mails %d→%d", p3.ConsentFor(ChannelEmail), before, len(h.mail.sent()))
		}
		// A name the CRM cannot keep is dropped, not refused: the money has arrived.
		long := strings.Repeat("x", 500)
		if id := matchDonor(t, h, Donor{GivenName: long, Email: "long@example.org"}); id == 0 {
			t.Error("a donor with a too-long name got no person")
		}
	})
}
