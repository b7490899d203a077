package giving

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// OfflineMethods are the methods staff record by hand; card gifts come only from Stripe.
var OfflineMethods = []Method{MethodCash, MethodCheck, MethodBankTransfer, MethodOther}

// Limits of an offline gift.
const (
	maxGiftCents = 100_000_000_00 // one hundred million: a typo guard, not a policy
	maxReference = 100
	maxName      = 100
	maxReason    = 300
)

// OfflineGift is a gift staff record: cash, a check or a bank transfer received. The donor
// is an existing person (PersonID), or found or added by e-mail (Email, with a name for a
// new person), or nobody (an anonymous cash gift: it gets a receipt number but no mail).
type OfflineGift struct {
	ReceivedOn  time.Time // the day the money came (midnight UTC)
	AmountCents int64
	Currency    string
	Method      Method
	FundID      int64
	PageID      int64  // the donation page it counts toward (cash collected at its event)
	Reference   string // check number, transfer reference
	PersonID    int64
	Email       string
	GivenName   string
	FamilyName  string
	Language    string // a new donor's language, "en" or "es"; "" is English
}

// Validate normalizes the gift and reports every problem at once; today is the day of the
// transaction, and a gift cannot be received after it.
func (g *OfflineGift) Validate(today time.Time) error {
	var l errs.List
	g.Currency = strings.ToLower(strings.TrimSpace(g.Currency))
	g.Reference = strings.TrimSpace(g.Reference)
	g.Email, g.GivenName, g.FamilyName = strings.TrimSpace(g.Email), strings.TrimSpace(g.GivenName), strings.TrimSpace(g.FamilyName)
	switch {
	case g.AmountCents <= 0:
		l.Add("amount", "giving.offline.amount_positive")
	case g.AmountCents > maxGiftCents:
		l.Add("amount", "giving.offline.amount_too_large")
	}
	if !slices.Contains(Currencies, g.Currency) {
		l.Add("currency", "giving.offline.currency_invalid")
	}
	if !slices.Contains(OfflineMethods, g.Method) {
		l.Add("method", "giving.offline.method_invalid")
	}
	y, m, d := today.UTC().Date()
	endOfToday := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	switch {
	case g.ReceivedOn.IsZero():
		l.Add("date", "giving.offline.date_required")
	case !g.ReceivedOn.Before(endOfToday):
		l.Add("date", "giving.offline.date_future")
	case g.ReceivedOn.Year() < firstYear:
		l.Add("date", "giving.offline.date_too_old")
	}
	if utf8.RuneCountInString(g.Reference) > maxReference || strings.ContainsAny(g.Reference, "\r\n\t\x00") {
		l.Add("reference", "giving.offline.reference_invalid")
	}
	for field, v := range map[string]string{"given_name": g.GivenName, "family_name": g.FamilyName} {
		if utf8.RuneCountInString(v) > maxName || strings.ContainsAny(v, "\r\n\t\x00") {
			l.Add(field, "giving.offline.name_invalid")
		}
	}
	switch g.Language = strings.TrimSpace(g.Language); g.Language {
	case "":
		g.Language = "en"
	case "en", "es":
	default:
		l.Add("language", "giving.offline.language_invalid")
	}
	if g.PersonID == 0 && g.Email != "" {
		e, ok := people.NormalizeEmail(g.Email)
		if !ok {
			l.Add("email", "giving.offline.email_invalid")
		}
		g.Email = e
	}
	return l.Err()
}

// RecordOfflineGift records a gift staff received and returns its id: the donor is found
// or added through the people service (in the gift's transaction), then the gift is
// recorded as every gift is (timeline, membership, receipt number and mail) and audited.
// It needs giving.write (and people.read to pick a person by id). A fund must exist and be
// active; a page, when given, must exist (the gift then counts toward its goal).
func (s *Service) RecordOfflineGift(ctx context.Context, actor auth.Actor, in OfflineGift) (int64, error) {
	if err := actor.Require(auth.PermGivingWrite); err != nil {
		return 0, err
	}
	if err := in.Validate(s.db.Now()); err != nil {
		return 0, err
	}
	if in.FundID != 0 {
		f, err := loadFund(ctx, s.db, in.FundID)
		if errs.CodeOf(err) == errs.CodeNotFound || err == nil && !f.Active {
			return 0, errs.Invalid("fund", "giving.offline.fund_invalid")
		}
		if err != nil {
			return 0, err
		}
	}
	if in.PageID != 0 {
		_, err := s.pageByID(ctx, s.db, in.PageID)
		if errs.CodeOf(err) == errs.CodeNotFound {
			return 0, errs.Invalid("page", "giving.offline.page_invalid")
		}
		if err != nil {
			return 0, err
		}
	}
	g := Gift{AmountCents: in.AmountCents, Currency: in.Currency, Method: in.Method, FundID: in.FundID, PageID: in.PageID,
		Reference: in.Reference, ReceivedAt: in.ReceivedOn.UTC(), RecordedBy: actor.Label(), Language: "en"}
	newDonor, err := s.offlineDonor(ctx, actor, in, &g)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.inTx(ctx, func(tx *db.Tx) error {
		if newDonor {
			pid, err := s.people.MatchDonor(ctx, tx, people.Donor{GivenName: in.GivenName, FamilyName: in.FamilyName,
				Email: in.Email, Language: in.Language})
			if err != nil {
				return err
			}
			g.PersonID = pid
		}
		var err error
		if id, err = s.addGift(ctx, tx, g); err != nil {
			return err
		}
		return record(ctx, tx, actor, "giving.gift.record", giftObject(id),
			fmt.Sprintf(`{"method":%q,"amount_cents":%d,"currency":%q}`, g.Method, g.AmountCents, g.Currency))
	})
	return id, err
}

// offlineDonor fills the gift's donor from the person picked by id, or from the person who
// has the e-mail: their name, primary e-mail and language are what the receipt is made out
// to. When nobody has the e-mail it fills the gift from the form and reports that the donor
// is new, to be added in the gift's transaction; a new donor needs a name. No person at all
// is an anonymous gift.
func (s *Service) offlineDonor(ctx context.Context, actor auth.Actor, in OfflineGift, g *Gift) (bool, error) {
	var p people.Person
	var err error
	switch {
	case in.PersonID != 0:
		if p, err = s.people.Get(ctx, actor, in.PersonID); errs.CodeOf(err) == errs.CodeNotFound {
			return false, errs.Invalid("person", "giving.offline.person_not_found")
		}
	case in.Email != "":
		if p, err = s.personByEmail(ctx, in.Email); err != nil || p.ID != 0 {
			break
		}
		if in.GivenName == "" && in.FamilyName == "" {
			return false, errs.Invalid("given_name", "giving.offline.name_required")
		}
		g.DonorName = strings.TrimSpace(in.GivenName + " " + in.FamilyName)
		g.DonorEmail, g.Language = in.Email, in.Language
		return true, nil
	default:
		if in.GivenName != "" || in.FamilyName != "" {
			return false, errs.Invalid("email", "giving.offline.email_required")
		}
		return false, nil // anonymous
	}
	if err != nil {
		return false, err
	}
	g.PersonID, g.DonorName, g.Language = p.ID, p.Name(), p.Language
	if len(p.Emails) > 0 {
		g.DonorEmail = p.Emails[0].Address
	}
	if g.Language != "es" {
		g.Language = "en"
	}
	return false, nil
}
