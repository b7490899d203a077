package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"

	"solidarity/internal/app"
	"solidarity/internal/giving"
	"solidarity/internal/notify"
	"solidarity/internal/people"
)

// Someone joins on a paid tier, pays the dues from the thank-you page's button (Checkout,
// then Stripe's events), and their membership becomes active for a year; the renewal
// reminder links back to the dues page.
func TestGiveDuesFromJoinToRenewal(t *testing.T) {
	givpEachApp(t, func(t *testing.T, a *app.App) {
		_, paid := pubTiers(t, a)
		tier := strconv.FormatInt(paid.ID, 10)
		v := newVisitor(t, a, "198.51.100.70")
		v.get("/join?lang=es")
		joined := v.post("/join", pubJoinForm("rosa@example.org", url.Values{"tier": {tier}}))
		thanks := v.follow(joined)
		duesPath := giving.DuesPath + tier
		must(t, "join thanks", thanks, http.StatusOK, `href="`+duesPath+`"`, es(a, "give.dues.join_button"))

		page := v.get(duesPath)
		must(t, "dues page", page, http.StatusOK, "Miembro sostenedor", "$15", es(a, "give.dues.recurring"))
		if fa := givpCSPFormAction(page); !strings.Contains(fa, "https://checkout.stripe.com") {
			t.Errorf("dues page form-action %q", fa)
		}
		must(t, "dues of an unknown tier", v.get(giving.DuesPath+"999"), http.StatusNotFound)
		must(t, "bad dues form", v.post(duesPath, url.Values{"email": {"x"}}), http.StatusUnprocessableEntity,
			es(a, "giving.donor.name_required"), es(a, "giving.donor.email_invalid"))
		r := v.post(duesPath, url.Values{"given_name": {"Rosa"}, "email": {"Rosa@Example.org"}, "language": {"es"}})
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "https://checkout.stripe.com/") {
			t.Fatalf("dues form: %d to %q", r.Status, r.Location)
		}
		cid := givpCheckout(t, a)
		paidAt := time.Now().Add(-time.Minute)
		givpDeliver(t, a, "evt_dues1", stripe.EventTypeCheckoutSessionCompleted, paidAt, givpSession(cid, "subscription", "", "sub_dues_app", 1500))
		givpDeliver(t, a, "evt_dues2", stripe.EventTypeInvoicePaid, paidAt, givpInvoice("in_dues1", "sub_dues_app", cid, 1500, "subscription_create", 1))

		p := pubMust(t, a, "rosa@example.org")
		if pubCount(t, a) != 1 {
			t.Errorf("%d people, want the one who joined", pubCount(t, a))
		}
		m := p.Membership
		if m == nil || m.Status != people.MemberActive || m.TierID != paid.ID || m.ExpiresAt == nil ||
			m.ExpiresAt.Sub(time.Now().AddDate(1, 0, 0)).Abs() > time.Hour {
			t.Fatalf("membership after the dues: %+v", m)
		}
		must(t, "dues thanks", v.get(duesPath+"/thanks"), http.StatusOK, es(a, "give.dues.thanks_body"))

		// Close to its end, the membership's reminder links to the dues page.
		if _, err := a.DB.ExecContext(context.Background(), "UPDATE memberships SET expires_at = ? WHERE person_id = ?",
			time.Now().Add(5*24*time.Hour), p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.People.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
		list, err := a.Notify.Outbox(context.Background(), notify.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, d := range list.Deliveries {
			if d.Purpose == "people.membership_reminder" && d.To == "rosa@example.org" {
				found = strings.Contains(d.Text, duesPath) && strings.Contains(d.Text, es(a, "giving.dues.renew_action"))
			}
		}
		if !found {
			t.Error("the renewal reminder does not link to the dues page")
		}
	})
}
