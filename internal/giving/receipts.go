package giving

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/i18n"
)

// Receipt is what a gift's receipt says, in the donor's language, as the e-mail and the
// PDF both print it.
type Receipt struct {
	GiftID        int64
	Number        int64
	Org           string // the legal name, or the site's name while none is set
	TaxID         string
	TaxStatement  string // in Language
	DonorName     string
	DonorEmail    string
	Language      string
	AmountCents   int64
	RefundedCents int64
	Currency      string
	Method        Method
	Fund          string // in Language; "" when the gift carries no fund
	Reference     string
	ReceivedAt    time.Time
	RecurringID   int64
	PersonID      int64
}

// Amount is the gift's amount, formatted.
func (r Receipt) Amount() string { return FormatAmount(r.AmountCents, r.Currency) }

// issueReceipt gives gift giftID the next receipt number and, when the gift has a donor
// e-mail, queues its receipt e-mail (with the PDF link and, for a monthly gift, the link to
// manage it), all in the caller's transaction: the number and the mail exist only if the
// gift commits. The number comes from the counter row, updated in this transaction, so
// numbers are sequential and never reused; on PostgreSQL a concurrent gift waits on the
// row lock until this one commits or rolls back. A gift that has a number already keeps
// it and gets no second mail.
func (s *Service) issueReceipt(ctx context.Context, tx *db.Tx, giftID int64) error {
	var current sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT receipt_number FROM giving_gifts WHERE id = ?", giftID).Scan(&current); err != nil {
		return db.Translate(err, "giving.gift.not_found", "")
	}
	if current.Valid {
		return nil
	}
	var number int64
	if err := tx.QueryRowContext(ctx, "UPDATE giving_receipt_counter SET last_number = last_number + 1 WHERE id = 1 RETURNING last_number").
		Scan(&number); err != nil {
		return fmt.Errorf("giving: next receipt number: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE giving_gifts SET receipt_number = ?, updated_at = ? WHERE id = ?", number, tx.Now, giftID); err != nil {
		return fmt.Errorf("giving: number receipt: %w", err)
	}
	return s.mailReceipt(ctx, tx, giftID)
}

// mailReceipt queues the receipt e-mail of a numbered gift with a fresh PDF link, unless
// the gift has no donor e-mail.
func (s *Service) mailReceipt(ctx context.Context, tx *db.Tx, giftID int64) error {
	r, err := s.loadReceipt(ctx, tx, giftID)
	if err != nil {
		return err
	}
	if r.DonorEmail == "" {
		return nil
	}
	pdf, err := s.issueLink(ctx, tx, linkReceipt, pdfLink{GiftID: giftID, Language: r.Language}, ReceiptLinkTTL)
	if err != nil {
		return err
	}
	var manage string
	if r.RecurringID != 0 {
		if manage, err = s.manageLink(ctx, tx, r.RecurringID); err != nil {
			return err
		}
	}
	m, err := s.receiptEmail(r, pdf, manage)
	if err != nil {
		return err
	}
	if _, err := s.mail.Email(ctx, tx, m); err != nil {
		return fmt.Errorf("giving: queue receipt: %w", err)
	}
	return nil
}

// ResendReceipt mails a gift's receipt again, with a new PDF link, to the e-mail it was
// made out to (numbering it first if it has no number yet). A gift with no donor e-mail
// is invalid input. It needs giving.write. Audited.
func (s *Service) ResendReceipt(ctx context.Context, actor auth.Actor, giftID int64) error {
	if err := actor.Require(auth.PermGivingWrite); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		var number sql.NullInt64
		var email string
		err := tx.QueryRowContext(ctx, "SELECT receipt_number, donor_email FROM giving_gifts WHERE id = ?", giftID).Scan(&number, &email)
		if err != nil {
			return db.Translate(err, "giving.gift.not_found", "")
		}
		if email == "" {
			return errs.Invalid("gift", "giving.receipt.no_email")
		}
		if number.Valid {
			err = s.mailReceipt(ctx, tx, giftID)
		} else {
			err = s.issueReceipt(ctx, tx, giftID)
		}
		if err != nil {
			return err
		}
		return record(ctx, tx, actor, "giving.receipt.resend", giftObject(giftID), "")
	})
}

// ReceiptPDF returns the PDF receipt a mailed link opens (file is "<token>.pdf") and the
// file name to save it as. No account is needed: the link is the key. An unknown or
// expired link is errs.NotFound.
func (s *Service) ReceiptPDF(ctx context.Context, file string) ([]byte, string, error) {
	l, err := s.lookupLink(ctx, linkReceipt, file)
	if err != nil {
		return nil, "", err
	}
	r, err := s.loadReceipt(ctx, s.db, l.GiftID)
	if err != nil {
		return nil, "", coded(err)
	}
	b, err := s.receiptPDF(r)
	if err != nil {
		return nil, "", errs.Internal(err)
	}
	return b, "receipt-" + strconv.FormatInt(r.Number, 10) + ".pdf", nil
}

// loadReceipt reads what a gift's receipt says, with the settings of now.
func (s *Service) loadReceipt(ctx context.Context, q db.Queryer, giftID int64) (Receipt, error) {
	var r Receipt
	var number, recurring, person sql.NullInt64
	var fundEn, fundEs sql.NullString
	var method string
	err := q.QueryRowContext(ctx, `SELECT g.id, g.receipt_number, g.donor_name, g.donor_email, g.language, g.amount_cents,
		g.refunded_cents, g.currency, g.method, g.reference, g.received_at, g.recurring_id, g.person_id, f.name_en, f.name_es
		FROM giving_gifts g LEFT JOIN giving_funds f ON f.id = g.fund_id WHERE g.id = ?`, giftID).
		Scan(&r.GiftID, &number, &r.DonorName, &r.DonorEmail, &r.Language, &r.AmountCents, &r.RefundedCents, &r.Currency,
			&method, &r.Reference, &r.ReceivedAt, &recurring, &person, &fundEn, &fundEs)
	if err != nil {
		return Receipt{}, db.Translate(err, "giving.gift.not_found", "")
	}
	if !number.Valid {
		return Receipt{}, errs.NotFound("giving.gift.not_found")
	}
	r.Number, r.RecurringID, r.PersonID, r.Method = number.Int64, recurring.Int64, person.Int64, Method(method)
	if r.Language != "es" {
		r.Language = "en"
	}
	if r.Language == "es" && fundEs.String != "" {
		r.Fund = fundEs.String
	} else {
		r.Fund = fundEn.String
	}
	st, err := loadSettings(ctx, q)
	if err != nil {
		return Receipt{}, err
	}
	r.Org, r.TaxID, r.TaxStatement = s.orgName(st), st.TaxID, st.TaxStatement(r.Language)
	return r, nil
}

// orgName is the name receipts are made out from.
func (s *Service) orgName(st Settings) string {
	if st.LegalName != "" {
		return st.LegalName
	}
	return s.catalog.Localizer("en").T("site.name")
}

// longDate writes a date the way people read it in loc's language ("March 5, 2026",
// "5 de marzo de 2026").
func longDate(loc *i18n.Localizer, t time.Time) string {
	t = t.UTC()
	return loc.T("giving.receipt.date", map[string]any{
		"Day": t.Day(), "Month": loc.T("giving.receipt.month." + strconv.Itoa(int(t.Month()))), "Year": t.Year(),
	})
}

// MethodKey is the message key of a payment method's name. ("other" is a reserved word of
// the catalogs' plural tables, so that one is "other_means".)
func MethodKey(m Method) string {
	if m == MethodOther {
		return "giving.receipt.method.other_means"
	}
	return "giving.receipt.method." + string(m)
}

// giftObject is how audit entries name a gift.
func giftObject(id int64) string { return fmt.Sprintf("giving_gift:%d", id) }
