package giving

import (
	"context"
	"fmt"
	"strings"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/people"
)

// Method is how a gift was paid.
type Method string

// The payment methods: card through Stripe, and the offline ones staff record.
const (
	MethodCard         Method = "card"
	MethodCash         Method = "cash"
	MethodCheck        Method = "check"
	MethodBankTransfer Method = "bank_transfer"
	MethodOther        Method = "other"
)

// GiftStatus is where a gift stands after refunds.
type GiftStatus string

// The gift statuses.
const (
	GiftSucceeded         GiftStatus = "succeeded"
	GiftPartiallyRefunded GiftStatus = "partially_refunded"
	GiftRefunded          GiftStatus = "refunded"
)

// Gift is one gift received.
type Gift struct {
	ID            int64
	PersonID      int64 // 0 when the person has left (the gift stays, for the books)
	PageID        int64 // 0 when not given through a page
	FundID        int64
	RecurringID   int64 // the monthly gift or recurring dues it is a payment of
	TierID        int64 // the membership tier these are dues of
	AmountCents   int64
	RefundedCents int64
	Currency      string // lower-case ISO 4217, as Stripe writes it
	Method        Method
	Status        GiftStatus
	ReceivedAt    time.Time
	Reference     string // check number, transfer reference
	// Stripe's ids, for card gifts.
	StripePaymentIntent string
	StripeInvoice       string
	StripeCharge        string
	ReceiptNumber       int64 // 0 until the receipt is issued
	DonorName           string
	DonorEmail          string
	Language            string
	RecordedBy          string // the actor label of whoever recorded an offline gift
	CreatedAt           time.Time
}

// addGift records a received gift inside the caller's transaction and does everything a
// gift sets off: the entry on the donor's timeline, the membership its dues pay for, and
// its receipt. Card gifts (from webhooks) and offline gifts (from staff) both come here, so
// that they are treated alike. g.Status is set to succeeded; ids Stripe did not give stay
// NULL, so that the unique columns hold.
func (s *Service) addGift(ctx context.Context, tx *db.Tx, g Gift) (int64, error) {
	g.Currency = strings.ToLower(g.Currency)
	if g.Language == "" {
		g.Language = "en"
	}
	id, err := tx.Insert(ctx, `INSERT INTO giving_gifts (person_id, page_id, fund_id, recurring_id, tier_id,
		amount_cents, currency, method, status, received_at, reference, stripe_payment_intent, stripe_invoice,
		stripe_charge, donor_name, donor_email, language, recorded_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(g.PersonID), nullID(g.PageID), nullID(g.FundID), nullID(g.RecurringID), nullID(g.TierID),
		g.AmountCents, g.Currency, string(g.Method), string(GiftSucceeded), g.ReceivedAt.UTC(), g.Reference,
		nullText(g.StripePaymentIntent), nullText(g.StripeInvoice), nullText(g.StripeCharge),
		g.DonorName, g.DonorEmail, g.Language, g.RecordedBy, tx.Now, tx.Now)
	if err != nil {
		return 0, fmt.Errorf("giving: insert gift: %w", err)
	}
	if g.PersonID != 0 {
		if err := s.people.AddEvent(ctx, tx, g.PersonID, people.NewEvent{
			Kind: "giving.gift", SummaryKey: "giving.timeline.gift", Source: "giving", At: g.ReceivedAt, Activity: true,
			Data: map[string]any{"Amount": FormatAmount(g.AmountCents, g.Currency), "Method": string(g.Method)},
		}); err != nil {
			return 0, err
		}
		if g.TierID != 0 {
			if err := s.people.ActivateMembership(ctx, tx, g.PersonID, g.TierID, g.ReceivedAt); err != nil {
				return 0, err
			}
		}
	}
	if err := s.issueReceipt(ctx, tx, id); err != nil {
		return 0, err
	}
	return id, nil
}

// FormatAmount writes an amount for people: "$25", "$12.50", "20 EUR".
func FormatAmount(cents int64, currency string) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	amount := fmt.Sprintf("%d", cents/100)
	if cents%100 != 0 {
		amount += fmt.Sprintf(".%02d", cents%100)
	}
	if c := strings.ToUpper(currency); c == "USD" || c == "" {
		amount = "$" + amount
	} else {
		amount += " " + c
	}
	if neg {
		return "-" + amount
	}
	return amount
}

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullText stores "" as NULL.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
