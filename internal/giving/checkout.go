package giving

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stripe/stripe-go/v82"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// The paths of the public giving pages, for return links from Stripe.
const (
	// GivePath + slug is a donation page.
	GivePath = "/give/"
	// ThanksPath + slug thanks a donor after Checkout.
	ThanksPath = "/give/thanks/"
)

// GiftRequest is what the public donation form sends. Rate limits and the honeypot are
// the web layer's; everything else is checked here.
type GiftRequest struct {
	Slug string
	// Amount is one of the page's suggested amounts in cents, or "other" for Custom.
	Amount string
	// Custom is the amount typed in when Amount is "other" (or when it is the only way).
	Custom     string
	Frequency  Frequency // FrequencyOnce or FrequencyMonthly
	GivenName  string
	FamilyName string
	Email      string
	Language   string
	EmailOptIn bool
}

// CheckoutStart is where to send the donor: Stripe's hosted Checkout page.
type CheckoutStart struct {
	URL string
}

// checkout is one row of giving_checkouts: a form sent on to Stripe.
type checkout struct {
	ID          int64
	Kind        string // "donation" or "dues"
	PageID      int64
	FundID      int64
	TierID      int64
	AmountCents int64
	Currency    string
	Frequency   string // "once", "month" or "year"
	GivenName   string
	FamilyName  string
	Email       string
	Language    string
	EmailOptIn  bool
	CompletedAt *time.Time
}

// donor is the person the checkout's form describes.
func (c checkout) donor() people.Donor {
	return people.Donor{GivenName: c.GivenName, FamilyName: c.FamilyName, Email: c.Email, Language: c.Language, EmailOptIn: c.EmailOptIn}
}

// name is how a receipt addresses the donor.
func (c checkout) name() string { return strings.TrimSpace(c.GivenName + " " + c.FamilyName) }

// donorFields checks the donor's part of a form into c, adding problems to l.
func donorFields(l *errs.List, c *checkout, given, family, email, lang string) {
	c.GivenName, c.FamilyName = strings.TrimSpace(given), strings.TrimSpace(family)
	if c.GivenName == "" {
		l.Add("given_name", "giving.donor.name_required")
	}
	for _, v := range []struct{ field, value string }{{"given_name", c.GivenName}, {"family_name", c.FamilyName}} {
		if utf8.RuneCountInString(v.value) > maxDonorName || strings.ContainsAny(v.value, "\n\r\x00") || !utf8.ValidString(v.value) {
			l.Add(v.field, "giving.donor.name_invalid")
		}
	}
	if e, ok := people.NormalizeEmail(email); ok && len(e) <= maxDonorEmail {
		c.Email = e
	} else if strings.TrimSpace(email) == "" {
		l.Add("email", "giving.donor.email_required")
	} else {
		l.Add("email", "giving.donor.email_invalid")
	}
	switch lang {
	case "en", "es":
		c.Language = lang
	case "":
		c.Language = "en"
	default:
		l.Add("language", "giving.donor.language_invalid")
	}
}

// chosenAmount reads the amount of a gift from a page's form.
func chosenAmount(p Page, amount, custom string) (int64, *errs.Error) {
	amount = strings.TrimSpace(amount)
	if amount == "" && strings.TrimSpace(custom) != "" {
		amount = "other"
	}
	switch {
	case amount == "":
		return 0, errs.Invalid("amount", "giving.amount.required")
	case amount == "other":
		if !p.AllowCustom {
			return 0, errs.Invalid("amount", "giving.amount.not_offered")
		}
		cents, ok := ParseAmount(custom)
		switch {
		case strings.TrimSpace(custom) == "":
			return 0, errs.Invalid("custom", "giving.amount.custom_required")
		case !ok:
			return 0, errs.Invalid("custom", "giving.amount.invalid")
		case cents < MinAmountCents:
			return 0, errs.Invalid("custom", "giving.amount.too_small")
		case cents > MaxAmountCents:
			return 0, errs.Invalid("custom", "giving.amount.too_large")
		}
		return cents, nil
	}
	cents, err := strconv.ParseInt(amount, 10, 64)
	if err != nil {
		return 0, errs.Invalid("amount", "giving.amount.not_offered")
	}
	for _, a := range p.Amounts {
		if a == cents {
			return cents, nil
		}
	}
	return 0, errs.Invalid("amount", "giving.amount.not_offered")
}

// StartGift takes a donation form: it checks the gift, keeps what the donor told us in a
// checkout row, and opens a Stripe Checkout Session (a payment for a one-time gift, a
// subscription billed monthly for a monthly one) whose metadata names that row. Nothing
// else is recorded until Stripe reports the payment. Without card giving configured the
// answer is errs.Conflict("giving.card.off"); when Stripe cannot be reached,
// errs.Internal with the key "giving.checkout.failed".
func (s *Service) StartGift(ctx context.Context, req GiftRequest) (CheckoutStart, error) {
	if !s.CardGiving() {
		return CheckoutStart{}, errs.Conflict("giving.card.off")
	}
	pp, err := s.PageBySlug(ctx, auth.Public(), req.Slug)
	if err != nil {
		return CheckoutStart{}, err
	}
	p := pp.Page
	var l errs.List
	c := checkout{Kind: "donation", PageID: p.ID, FundID: p.FundID, Currency: p.Currency, EmailOptIn: req.EmailOptIn}
	cents, aerr := chosenAmount(p, req.Amount, req.Custom)
	if aerr != nil {
		l = append(l, aerr)
	}
	c.AmountCents = cents
	switch {
	case req.Frequency == FrequencyOnce && p.Offers(FrequencyOnce):
		c.Frequency = "once"
	case req.Frequency == FrequencyMonthly && p.Offers(FrequencyMonthly):
		c.Frequency = "month"
	case req.Frequency == "" && p.Frequency != FrequencyBoth:
		c.Frequency = map[Frequency]string{FrequencyOnce: "once", FrequencyMonthly: "month"}[p.Frequency]
	default:
		l.Add("frequency", "giving.frequency.invalid")
	}
	donorFields(&l, &c, req.GivenName, req.FamilyName, req.Email, req.Language)
	if err := l.Err(); err != nil {
		return CheckoutStart{}, err
	}
	product := p.Title(c.Language)
	return s.openCheckout(ctx, c, product, ThanksPath+p.Slug, GivePath+p.Slug)
}

// openCheckout stores the checkout row, opens its Stripe session, and returns where to
// send the donor. The row is written first, in its own transaction, so that whatever
// Stripe reports later finds it; a session that is never paid leaves a row that the sweep
// purges.
func (s *Service) openCheckout(ctx context.Context, c checkout, product, successPath, cancelPath string) (CheckoutStart, error) {
	sc, err := s.stripeClient()
	if err != nil {
		return CheckoutStart{}, err
	}
	err = s.inTx(ctx, func(tx *db.Tx) error {
		c.ID, err = tx.Insert(ctx, `INSERT INTO giving_checkouts (kind, page_id, fund_id, tier_id, amount_cents, currency, frequency,
			donor_name, donor_email, language, email_opt_in, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.Kind, nullID(c.PageID), nullID(c.FundID), nullID(c.TierID), c.AmountCents, c.Currency, c.Frequency,
			encodeName(c.GivenName, c.FamilyName), c.Email, c.Language, c.EmailOptIn, tx.Now)
		if err != nil {
			return fmt.Errorf("giving: store checkout: %w", err)
		}
		return nil
	})
	if err != nil {
		return CheckoutStart{}, err
	}
	ref := strconv.FormatInt(c.ID, 10)
	meta := map[string]string{metaCheckout: ref}
	price := &stripe.CheckoutSessionCreateLineItemPriceDataParams{
		Currency:    stripe.String(c.Currency),
		UnitAmount:  stripe.Int64(c.AmountCents),
		ProductData: &stripe.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: stripe.String(product)},
	}
	params := &stripe.CheckoutSessionCreateParams{
		ClientReferenceID: stripe.String(ref),
		CustomerEmail:     stripe.String(c.Email),
		Locale:            stripe.String(c.Language),
		Metadata:          meta,
		SuccessURL:        stripe.String(s.link(successPath)),
		CancelURL:         stripe.String(s.link(cancelPath)),
		LineItems:         []*stripe.CheckoutSessionCreateLineItemParams{{Quantity: stripe.Int64(1), PriceData: price}},
	}
	if c.Frequency == "once" {
		params.Mode = stripe.String(string(stripe.CheckoutSessionModePayment))
		params.SubmitType = stripe.String(string(stripe.CheckoutSessionSubmitTypeDonate))
		params.PaymentIntentData = &stripe.CheckoutSessionCreatePaymentIntentDataParams{Metadata: meta}
	} else {
		params.Mode = stripe.String(string(stripe.CheckoutSessionModeSubscription))
		price.Recurring = &stripe.CheckoutSessionCreateLineItemPriceDataRecurringParams{Interval: stripe.String(c.Frequency)}
		params.SubscriptionData = &stripe.CheckoutSessionCreateSubscriptionDataParams{Metadata: meta}
	}
	// A retried request must not open a second session for the same form.
	params.SetIdempotencyKey("solidarity-checkout-" + ref)
	sess, err := sc.V1CheckoutSessions.Create(ctx, params)
	if err != nil || sess.URL == "" {
		if err == nil {
			err = errors.New("no session URL")
		}
		return CheckoutStart{}, &errs.Error{Code: errs.CodeInternal, Key: "giving.checkout.failed", Cause: fmt.Errorf("giving: stripe checkout: %w", err)}
	}
	if _, err := s.db.ExecContext(ctx, "UPDATE giving_checkouts SET stripe_session_id = ? WHERE id = ?", sess.ID, c.ID); err != nil {
		s.log.Warn("giving: checkout session id not stored", "checkout", c.ID, "err", err)
	}
	return CheckoutStart{URL: sess.URL}, nil
}

// metaCheckout is the metadata key that carries our checkout id through Stripe: on the
// session, its payment intent and its subscription (and so on every invoice).
const metaCheckout = "solidarity_checkout"

// encodeName keeps given and family names in one column, apart by a tab (which neither may
// hold).
func encodeName(given, family string) string {
	if family == "" {
		return given
	}
	return given + "\t" + family
}

func decodeName(v string) (given, family string) {
	given, family, _ = strings.Cut(v, "\t")
	return given, family
}

// loadCheckout reads a checkout row by id; sql.ErrNoRows-based NotFound when it is gone.
func loadCheckout(ctx context.Context, q db.Queryer, id int64) (checkout, bool, error) {
	var c checkout
	var page, fund, tier sql.NullInt64
	var name string
	var done sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT id, kind, page_id, fund_id, tier_id, amount_cents, currency, frequency, donor_name,
		donor_email, language, email_opt_in, completed_at FROM giving_checkouts WHERE id = ?`, id).
		Scan(&c.ID, &c.Kind, &page, &fund, &tier, &c.AmountCents, &c.Currency, &c.Frequency, &name, &c.Email, &c.Language, &c.EmailOptIn, &done)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return checkout{}, false, nil
	case err != nil:
		return checkout{}, false, fmt.Errorf("giving: read checkout: %w", err)
	}
	c.PageID, c.FundID, c.TierID = page.Int64, fund.Int64, tier.Int64
	c.GivenName, c.FamilyName = decodeName(name)
	if done.Valid {
		t := done.Time
		c.CompletedAt = &t
	}
	return c, true, nil
}

// checkoutOf returns the checkout id a Stripe object's metadata names (0 when none).
func checkoutOf(meta map[string]string) int64 {
	id, err := strconv.ParseInt(meta[metaCheckout], 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}
