package giving

import (
	"context"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/people"
	"solidarity/internal/testkit"
)

var cardAdmin = auth.Actor{Kind: auth.KindAccount, ID: 1, Name: "Ada Admin", Role: auth.RoleAdministrator}

func TestDuesPaymentsActivateAndExtendTheMembership(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newCard(t, d, true)
		ctx := context.Background()
		tier, err := e.people.SaveTier(ctx, cardAdmin, 0, people.Tier{NameEn: "Sustaining", NameEs: "Sostenedor",
			AmountCents: 6000, Currency: "USD", Period: people.PeriodYearly, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		free, err := e.people.SaveTier(ctx, cardAdmin, 0, people.Tier{NameEn: "Free", NameEs: "Gratis", Period: people.PeriodFree, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.DuesTier(ctx, free.ID); errs.CodeOf(err) != errs.CodeNotFound {
			t.Errorf("dues of a free tier: %v", err)
		}
		// The member joined first (pending, waiting for dues).
		if _, err := e.people.Join(ctx, people.JoinRequest{GivenName: "Rosa", Email: "rosa@example.org", Language: "es", TierID: tier.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.StartDues(ctx, DuesRequest{TierID: tier.ID, GivenName: "Rosa", Email: "ROSA@example.org", Language: "es"}); err != nil {
			t.Fatal(err)
		}
		cid := e.lastCheckout(t)
		c, _, _ := loadCheckout(ctx, d, cid)
		if c.Kind != "dues" || c.TierID != tier.ID || c.AmountCents != 6000 || c.Frequency != "year" || c.Currency != "usd" {
			t.Fatalf("dues checkout %+v", c)
		}
		sub := "sub_dues"
		paid := time.Now().Add(-time.Hour).Truncate(time.Second)
		e.deliver(t, "evt_d1", stripe.EventTypeCheckoutSessionCompleted, paid, cardSession(cid, "subscription", "", sub, 6000))
		inv := cardInvoice("in_d1", sub, cid, 6000, "subscription_create", 1)
		inv["status_transitions"] = map[string]any{"paid_at": paid.Unix()}
		e.deliver(t, "evt_d2", stripe.EventTypeInvoicePaid, paid, inv)

		r := e.recurring(t, sub)
		if r.TierID != tier.ID || r.Interval != "year" || r.Status != RecurringActive {
			t.Fatalf("recurring dues %+v", r)
		}
		p, err := e.people.Get(ctx, auth.System("test"), r.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM people"); n != 1 {
			t.Fatalf("%d people, want the one who joined", n)
		}
		m := p.Membership
		if m == nil || m.Status != people.MemberActive || m.ExpiresAt == nil || !m.ExpiresAt.Equal(paid.AddDate(1, 0, 0)) {
			t.Fatalf("membership after the first dues: %+v", m)
		}
		// A year later the next invoice is paid: the membership runs another year.
		next := paid.AddDate(1, 0, 0).Add(-time.Hour)
		inv2 := cardInvoice("in_d2", sub, cid, 6000, "subscription_cycle", 1)
		inv2["status_transitions"] = map[string]any{"paid_at": next.Unix()}
		e.deliver(t, "evt_d3", stripe.EventTypeInvoicePaid, next, inv2)
		p, _ = e.people.Get(ctx, auth.System("test"), r.PersonID)
		if m := p.Membership; m == nil || !m.ExpiresAt.Equal(paid.AddDate(2, 0, 0)) {
			t.Fatalf("membership after renewal: %+v", m)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM giving_gifts WHERE tier_id = ?", tier.ID); n != 2 {
			t.Errorf("%d dues gifts, want 2", n)
		}
	})
}

func TestOneTimeDuesAreAPayment(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	e := newCard(t, d, true)
	ctx := context.Background()
	tier, err := e.people.SaveTier(ctx, cardAdmin, 0, people.Tier{NameEn: "Lifetime", NameEs: "De por vida",
		AmountCents: 10000, Currency: "USD", Period: people.PeriodOnce, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.StartDues(ctx, DuesRequest{TierID: tier.ID, GivenName: "Leo", Email: "leo@example.org"}); err != nil {
		t.Fatal(err)
	}
	cid := e.lastCheckout(t)
	e.deliver(t, "evt_l1", stripe.EventTypeCheckoutSessionCompleted, time.Now(), cardSession(cid, "payment", "pi_life", "", 10000))
	var person, tierID int64
	if err := d.QueryRowContext(ctx, "SELECT person_id, tier_id FROM giving_gifts").Scan(&person, &tierID); err != nil {
		t.Fatal(err)
	}
	p, err := e.people.Get(ctx, auth.System("test"), person)
	if err != nil || tierID != tier.ID || p.Membership == nil || p.Membership.Status != people.MemberActive || p.Membership.ExpiresAt != nil {
		t.Fatalf("lifetime membership %+v (tier %d) %v", p.Membership, tierID, err)
	}
	_, err = e.s.StartDues(ctx, DuesRequest{TierID: tier.ID, GivenName: "", Email: "x"})
	cardWantField(t, err, "given_name", "giving.donor.name_required")
	cardWantField(t, err, "email", "giving.donor.email_invalid")
}
