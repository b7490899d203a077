package people

import (
	"context"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

func TestTiers(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		bad := []struct {
			tier       Tier
			field, key string
		}{
			{Tier{NameEs: "x", Period: PeriodFree}, "name_en", "people.tier.name_invalid"},
			{Tier{NameEn: "x", NameEs: "x", Period: "weekly"}, "period", "people.tier.period_invalid"},
			{Tier{NameEn: "x", NameEs: "x", Period: PeriodFree, AmountCents: 500}, "amount", "people.tier.free_amount"},
			{Tier{NameEn: "x", NameEs: "x", Period: PeriodMonthly}, "amount", "people.tier.amount_invalid"},
			{Tier{NameEn: "x", NameEs: "x", Period: PeriodMonthly, AmountCents: 500, Currency: "dollars"}, "currency", "people.tier.currency_invalid"},
		}
		for _, b := range bad {
			_, err := h.s.SaveTier(ctx, admin, 0, b.tier)
			wantField(t, err, b.field, b.key)
		}
		_, err := h.s.SaveTier(ctx, organizer, 0, Tier{NameEn: "x", NameEs: "x", Period: PeriodFree})
		wantCode(t, err, errs.CodeForbidden)
		tier, err := h.s.SaveTier(ctx, admin, 0, Tier{NameEn: "Monthly", NameEs: "Mensual", AmountCents: 500, Period: PeriodMonthly, Active: true})
		if err != nil || tier.Currency != "USD" || tier.Name("es") != "Mensual" || !tier.Paid() {
			t.Fatalf("SaveTier = %+v, %v", tier, err)
		}
		p := h.mustCreate(t, PersonInput{GivenName: "Ana"})
		_, err = h.s.SetMembership(ctx, organizer, p.ID, MembershipInput{TierID: 999, Status: MemberActive})
		wantField(t, err, "tier", "people.tier.unknown")
		m, err := h.s.SetMembership(ctx, organizer, p.ID, MembershipInput{TierID: tier.ID, Status: MemberActive})
		if err != nil || m.ExpiresAt == nil || m.StartedAt == nil || !m.ExpiresAt.Equal(m.StartedAt.AddDate(0, 1, 0)) {
			t.Fatalf("SetMembership = %+v, %v", m, err)
		}
		// Dues arrive early: the month is added to the current expiry.
		if err := d.InTx(ctx, func(tx *db.Tx) error { return h.s.ActivateMembership(ctx, tx, p.ID, tier.ID, tx.Now) }); err != nil {
			t.Fatal(err)
		}
		p2, _ := h.s.Get(ctx, organizer, p.ID)
		if !p2.Membership.ExpiresAt.Equal(m.ExpiresAt.AddDate(0, 1, 0)) {
			t.Errorf("renewed expiry = %v, want %v", p2.Membership.ExpiresAt, m.ExpiresAt.AddDate(0, 1, 0))
		}
	})
}

func TestSweep(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		now := start
		d.Clock = func() time.Time { return now }
		tier, _ := h.s.SaveTier(ctx, admin, 0, Tier{NameEn: "Yearly", NameEs: "Anual", AmountCents: 2000, Period: PeriodYearly, Active: true})
		es := h.mustCreate(t, PersonInput{GivenName: "Eva", Emails: []string{"eva@example.org"}, Language: "es"})
		quiet := h.mustCreate(t, PersonInput{GivenName: "Quique", Emails: []string{"q@example.org"}})
		for _, p := range []Person{es, quiet} {
			if _, err := h.s.SetMembership(ctx, organizer, p.ID, MembershipInput{TierID: tier.ID, Status: MemberActive}); err != nil {
				t.Fatal(err)
			}
		}
		if err := h.s.SetConsent(ctx, organizer, quiet.ID, ChannelEmail, ConsentRevoked); err != nil {
			t.Fatal(err)
		}
		expiry := start.AddDate(1, 0, 0)
		steps := []struct {
			at   time.Time
			want SweepResult
			st   MembershipStatus
		}{
			{start.AddDate(0, 6, 0), SweepResult{}, MemberActive},
			{expiry.Add(-10 * 24 * time.Hour), SweepResult{Reminded: 2}, MemberActive},
			{expiry.Add(-5 * 24 * time.Hour), SweepResult{}, MemberActive}, // reminded once per expiry
			{expiry.Add(time.Hour), SweepResult{Grace: 2}, MemberGrace},
			{expiry.Add(29 * 24 * time.Hour), SweepResult{}, MemberGrace},
			{expiry.Add(31 * 24 * time.Hour), SweepResult{Lapsed: 2}, MemberLapsed},
		}
		for i, s := range steps {
			now = s.at
			got, err := h.s.Sweep(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got != s.want {
				t.Errorf("step %d: sweep = %+v, want %+v", i, got, s.want)
			}
			p, _ := h.s.Get(ctx, organizer, es.ID)
			if p.Membership.Status != s.st {
				t.Errorf("step %d: status %s, want %s", i, p.Membership.Status, s.st)
			}
		}
		mail := h.mail.sent()
		if len(mail) != 1 || mail[0].To != "eva@example.org" || mail[0].Subject != "Su membresía termina el 2027-01-01" || mail[0].Purpose != "people.membership_reminder" {
			t.Errorf("reminders = %+v; want one, in Spanish, none to the person who opted out", mail)
		}
		page, err := h.s.Timeline(ctx, organizer, es.ID, "", 3)
		if err != nil || len(page.Events) != 3 || page.Events[0].Kind != "membership.lapsed" || page.Next == "" {
			t.Fatalf("timeline = %+v, %v", page, err)
		}
		rest, err := h.s.Timeline(ctx, organizer, es.ID, page.Next, 10)
		if err != nil || len(rest.Events) == 0 || rest.Events[0].ID >= page.Events[2].ID || rest.Next != "" {
			t.Errorf("older page = %+v, %v", rest, err)
		}
	})
}

func TestTimelineAppend(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		p := h.mustCreate(t, PersonInput{GivenName: "Gil"})
		later := p.CreatedAt.Add(time.Hour)
		err := d.InTx(ctx, func(tx *db.Tx) error {
			return h.s.AddEvent(ctx, tx, p.ID, NewEvent{Kind: "giving.gift", SummaryKey: "giving.timeline.gift",
				Data: map[string]any{"amount": 2500}, Source: "giving", At: later, Activity: true})
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := h.s.Get(ctx, organizer, p.ID)
		if !got.LastActiveAt.Equal(later) {
			t.Errorf("last active = %v, want %v", got.LastActiveAt, later)
		}
		page, _ := h.s.Timeline(ctx, caseworker, p.ID, "", 10)
		if len(page.Events) != 2 || page.Events[0].Kind != "giving.gift" || page.Events[0].Data["amount"] != float64(2500) {
			t.Errorf("timeline = %+v", page.Events)
		}
		err = d.InTx(ctx, func(tx *db.Tx) error {
			return h.s.AddEvent(ctx, tx, p.ID+50, NewEvent{Kind: "x", SummaryKey: "x", Source: "x"})
		})
		wantCode(t, err, errs.CodeNotFound)
	})
}
