package giving

import (
	"context"
	"strconv"
	"strings"

	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// DuesRequest is what the public dues form sends: the tier, and who pays.
//
// The payer says who they are by their e-mail address, as on the Join form, and nothing
// about any person is shown or sent back: the Join page gives the same answer whether its
// address was known, and so does this page. The membership the dues pay for is found
// (or the person made) from that address only once Stripe reports the payment, by the
// same rule as any donor (people.MatchDonor): an existing record is never overwritten.
// Someone who types another person's address pays that person's dues with their own money;
// the receipt goes to the address, so its owner learns of it.
type DuesRequest struct {
	TierID     int64
	GivenName  string
	FamilyName string
	Email      string
	Language   string
	EmailOptIn bool
}

// DuesTier returns a paid, active membership tier for the public dues page; any other id
// is not found.
func (s *Service) DuesTier(ctx context.Context, tierID int64) (people.Tier, error) {
	tiers, err := s.people.Tiers(ctx, true)
	if err != nil {
		return people.Tier{}, err
	}
	for _, t := range tiers {
		if t.ID == tierID && t.Paid() {
			return t, nil
		}
	}
	return people.Tier{}, errs.NotFound("giving.dues.tier_unknown")
}

// duesFrequency is how often Stripe charges a tier's dues: once for a one-time tier, or
// a subscription by the month or the year.
func duesFrequency(p people.Period) string {
	switch p {
	case people.PeriodMonthly:
		return "month"
	case people.PeriodYearly:
		return "year"
	}
	return "once"
}

// DuesPath + tier id is the public page that pays a tier's dues.
const DuesPath = people.DuesPath

// StartDues takes the dues form of a paid tier and opens a Stripe Checkout Session for its
// amount: a payment for a one-time tier, a subscription by the month or the year
// otherwise. Each paid invoice becomes a gift with the tier, which activates or extends
// the payer's membership (addGift).
func (s *Service) StartDues(ctx context.Context, req DuesRequest) (CheckoutStart, error) {
	if !s.CardGiving() {
		return CheckoutStart{}, errs.Conflict("giving.card.off")
	}
	t, err := s.DuesTier(ctx, req.TierID)
	if err != nil {
		return CheckoutStart{}, err
	}
	c := checkout{Kind: "dues", TierID: t.ID, AmountCents: t.AmountCents, Currency: strings.ToLower(t.Currency),
		Frequency: duesFrequency(t.Period), EmailOptIn: req.EmailOptIn}
	var l errs.List
	donorFields(&l, &c, req.GivenName, req.FamilyName, req.Email, req.Language)
	if err := l.Err(); err != nil {
		return CheckoutStart{}, err
	}
	product := s.catalog.Localizer(c.Language).T("giving.dues.product", map[string]any{"Tier": t.Name(c.Language)})
	path := DuesPath + strconv.FormatInt(t.ID, 10)
	return s.openCheckout(ctx, c, product, path+"/thanks", path)
}
