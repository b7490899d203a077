package people

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/notify"
	"solidarity/internal/testkit"
)

var linkToken = regexp.MustCompile(`https://network\.example\.org(/[a-z/]+/)([A-Za-z0-9_-]{43})`)

// tokenIn returns the token of the link in an e-mail, checking its path.
func tokenIn(t *testing.T, m notify.Email, path string) string {
	t.Helper()
	got := linkToken.FindStringSubmatch(m.Text)
	if got == nil || got[1] != path || !strings.Contains(m.HTML, got[0]) {
		t.Fatalf("no %s link in mail %q", path, m.Text)
	}
	return got[2]
}

func TestJoinAndConfirm(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		free, _ := h.s.SaveTier(ctx, admin, 0, Tier{NameEn: "Member", NameEs: "Miembro", Period: PeriodFree, Active: true})
		paid, _ := h.s.SaveTier(ctx, admin, 0, Tier{NameEn: "Sustainer", NameEs: "Sostenedor", AmountCents: 1500, Currency: "usd", Period: PeriodYearly, Active: true})

		res, err := h.s.Join(ctx, JoinRequest{GivenName: "Rosa", FamilyName: "Díaz", Email: "Rosa@Example.org", Phone: "512-555-0150",
			ZIP: "78701", Language: "es", TierID: free.ID, EmailOptIn: true, SMSOptIn: true})
		if err != nil || res.PaymentDue {
			t.Fatalf("Join = %+v, %v", res, err)
		}
		mail := h.mail.sent()
		if len(mail) != 1 || mail[0].To != "rosa@example.org" || mail[0].Subject != "Confirme su correo electrónico" || mail[0].Purpose != "people.join_confirm" {
			t.Fatalf("mail = %+v", mail)
		}
		token := tokenIn(t, mail[0], ConfirmPath)
		found, _ := h.s.Search(ctx, organizer, "rosa@example.org", 1)
		p, _ := h.s.Get(ctx, organizer, found[0].ID)
		if p.ConsentFor(ChannelEmail).Status != ConsentPending || p.ConsentFor(ChannelSMS).Status != ConsentPending ||
			p.Membership == nil || p.Membership.Status != MemberPending || p.CreatedVia != "join" || p.Language != "es" {
			t.Errorf("before confirmation = %+v", p)
		}

		conf, err := h.s.ConfirmEmail(ctx, token)
		if err != nil || !conf.EmailConsent || !conf.MembershipActive || conf.Language != "es" {
			t.Fatalf("ConfirmEmail = %+v, %v", conf, err)
		}
		p, _ = h.s.Get(ctx, organizer, p.ID)
		ec := p.ConsentFor(ChannelEmail)
		if ec.Status != ConsentGranted || ec.Method != MethodLink || ec.ConfirmedAt == nil || p.Membership.Status != MemberActive || p.Membership.ExpiresAt != nil {
			t.Errorf("after confirmation: consent %+v membership %+v", ec, p.Membership)
		}
		if p.ConsentFor(ChannelSMS).Status != ConsentPending {
			t.Errorf("SMS consent must wait for a keyword reply, got %+v", p.ConsentFor(ChannelSMS))
		}
		_, err = h.s.ConfirmEmail(ctx, token)
		wantCode(t, err, errs.CodeNotFound)
		_, err = h.s.ConfirmEmail(ctx, "not-a-token")
		wantCode(t, err, errs.CodeNotFound)

		// A stranger joins with Rosa's address: the same answer, Rosa's record untouched until
		// the link in Rosa's mailbox is used.
		before := p
		res2, err := h.s.Join(ctx, JoinRequest{GivenName: "Impostor", Email: "rosa@example.org", Phone: "+1 512 555 0999", Language: "en", TierID: paid.ID})
		if err != nil || !res2.PaymentDue || res2.AmountCents != 1500 || res2.Currency != "USD" {
			t.Fatalf("second Join = %+v, %v", res2, err)
		}
		p, _ = h.s.Get(ctx, organizer, p.ID)
		if p.GivenName != before.GivenName || len(p.Phones) != len(before.Phones) || p.Membership.TierID != free.ID || p.Language != "es" {
			t.Errorf("a Join with a known address changed the record: %+v", p)
		}
		if n := countRows(t, d, "people"); n != 1 {
			t.Errorf("%d people after a second Join, want 1", n)
		}
		mail = h.mail.sent()
		if len(mail) != 2 || mail[1].To != "rosa@example.org" {
			t.Fatalf("second mail = %+v", mail)
		}
		// Used, the link only fills gaps: the name stays, the new phone is added.
		if _, err := h.s.ConfirmEmail(ctx, tokenIn(t, mail[1], ConfirmPath)); err != nil {
			t.Fatal(err)
		}
		p, _ = h.s.Get(ctx, organizer, p.ID)
		if p.GivenName != "Rosa" || len(p.Phones) != 2 || p.Membership.Status != MemberActive {
			t.Errorf("after the second confirmation = %+v", p)
		}
	})
}

func TestJoinRefusesBadInput(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		inactive, _ := h.s.SaveTier(ctx, admin, 0, Tier{NameEn: "Old", NameEs: "Vieja", Period: PeriodFree, Active: false})
		cases := []struct {
			name       string
			req        JoinRequest
			field, key string
		}{
			{"no email", JoinRequest{GivenName: "Ana"}, "email", "people.email.required"},
			{"bad email", JoinRequest{GivenName: "Ana", Email: "ana at example"}, "email", "people.email.invalid"},
			{"no name", JoinRequest{Email: "ana@example.org"}, "given_name", "people.name.required"},
			{"bad phone", JoinRequest{GivenName: "Ana", Email: "ana@example.org", Phone: "555"}, "phone", "people.phone.invalid"},
			{"sms without phone", JoinRequest{GivenName: "Ana", Email: "ana@example.org", SMSOptIn: true}, "phone", "people.phone.required_for_sms"},
			{"unknown tier", JoinRequest{GivenName: "Ana", Email: "ana@example.org", TierID: 999}, "tier", "people.tier.unknown"},
			{"inactive tier", JoinRequest{GivenName: "Ana", Email: "ana@example.org", TierID: inactive.ID}, "tier", "people.tier.unknown"},
			{"long name", JoinRequest{GivenName: strings.Repeat("n", 500), Email: "ana@example.org"}, "given_name", "people.field.too_long"},
		}
		for _, c := range cases {
			_, err := h.s.Join(ctx, c.req)
			wantField(t, err, c.field, c.key)
		}
		if n := countRows(t, d, "people"); n != 0 || len(h.mail.sent()) != 0 {
			t.Errorf("bad input stored %d people and sent %d mails", n, len(h.mail.sent()))
		}
	})
}

func TestSelfService(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		p := h.mustCreate(t, PersonInput{GivenName: "Iris", Emails: []string{"iris@example.org"}, Language: "en"})
		if err := h.s.RequestSignInLink(ctx, "nobody@example.org"); err != nil {
			t.Fatalf("unknown address: %v, want nil like a known one", err)
		}
		if len(h.mail.sent()) != 0 {
			t.Fatal("a mail went to an unknown address")
		}
		wantField(t, h.s.RequestSignInLink(ctx, "nope"), "email", "people.email.invalid")
		if err := h.s.RequestSignInLink(ctx, "IRIS@example.org"); err != nil {
			t.Fatal(err)
		}
		mail := h.mail.sent()
		if len(mail) != 1 || mail[0].Subject != "Your sign-in link" {
			t.Fatalf("mail = %+v", mail)
		}
		sess, err := h.s.SignIn(ctx, tokenIn(t, mail[0], SignInPath))
		if err != nil {
			t.Fatal(err)
		}
		_, err = h.s.SignIn(ctx, tokenIn(t, mail[0], SignInPath))
		wantCode(t, err, errs.CodeNotFound)
		me, err := h.s.Me(ctx, sess.Token)
		if err != nil || me.GivenName != "Iris" || me.Email != "iris@example.org" {
			t.Fatalf("Me = %+v, %v", me, err)
		}
		me, err = h.s.UpdateOwnDetails(ctx, sess.Token, OwnDetails{GivenName: "Iris", FamilyName: "Vega", Phone: "512 555 0160",
			Address: Address{ZIP: "78702"}, Language: "es", EmailOptIn: true, SMSOptIn: true})
		if err != nil {
			t.Fatal(err)
		}
		if me.FamilyName != "Vega" || me.Phone != "+15125550160" || me.Language != "es" || me.EmailConsent != ConsentGranted || me.SMSConsent != ConsentPending {
			t.Errorf("after update = %+v", me)
		}
		_, err = h.s.UpdateOwnDetails(ctx, sess.Token, OwnDetails{GivenName: "", Phone: "1"})
		wantField(t, err, "phones", "people.phone.invalid")
		me, _ = h.s.UpdateOwnDetails(ctx, sess.Token, OwnDetails{GivenName: "Iris", FamilyName: "Vega", Language: "es"})
		if me.EmailConsent != ConsentRevoked || me.SMSConsent != ConsentRevoked {
			t.Errorf("opting out = %+v", me)
		}
		// Sessions end.
		h.d.Clock = func() time.Time { return time.Now().Add(SessionTTL + time.Minute) }
		_, err = h.s.Me(ctx, sess.Token)
		wantCode(t, err, errs.CodeNotFound)
		h.d.Clock = time.Now
		if err := h.s.Leave(ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		_, err = h.s.Get(ctx, organizer, p.ID)
		wantCode(t, err, errs.CodeNotFound)
		if n := countRows(t, d, "timeline") + countRows(t, d, "consents") + countRows(t, d, "person_tokens"); n != 0 {
			t.Errorf("%d rows left after leaving", n)
		}
		log := auditActions(t, d)
		if len(log) != 1 || strings.TrimSpace(log[0]) != "people.leave   public" {
			t.Errorf("audit = %q, want one people.leave entry naming no one", log)
		}
	})
}
