package giving

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

var booksPDFLinkRe = regexp.MustCompile(`https://network\.example\.org(/(?:receipts|statements)/[A-Za-z0-9_-]{43}\.pdf)`)

// A gift gets the next receipt number and a receipt e-mail in the donor's language, with
// the legal name, the tax statement and a PDF link that opens without an account.
func TestReceiptMailAndPDFInTheDonorsLanguage(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		if _, err := e.s.SaveSettings(ctx, booksOrganizer, Settings{LegalName: "Red de Solidaridad, Inc.", TaxID: "12-3456789",
			TaxStatementEn: "No goods or services were provided in exchange for this gift.",
			TaxStatementEs: "No se entregaron bienes ni servicios a cambio de esta donación."}); err != nil {
			t.Fatal(err)
		}
		fund, err := e.s.SaveFund(ctx, booksOrganizer, 0, Fund{Code: "bail", NameEn: "Bail fund", NameEs: "Fondo de fianzas", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		maria := e.person(t, "María", "maria@example.org", "es")
		id := e.gift(t, OfflineGift{PersonID: maria.ID, AmountCents: 2550, Method: MethodCheck, Reference: "1042", FundID: fund.ID})

		mails := e.mail.sent("giving.receipt")
		if len(mails) != 1 {
			t.Fatalf("%d receipt mails, want 1", len(mails))
		}
		m := mails[0]
		if m.To != "maria@example.org" || !strings.Contains(m.Subject, "Recibo 1") {
			t.Errorf("mail to %q subject %q", m.To, m.Subject)
		}
		for _, want := range []string{"$25.50", "Red de Solidaridad, Inc.", "12-3456789", "No se entregaron bienes", "Cheque", "Fondo de fianzas", "1042", "Hola, María"} {
			if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
				t.Errorf("receipt lacks %q in text or HTML\n%s", want, m.Text)
			}
		}
		if !strings.Contains(m.HTML, `lang="es"`) {
			t.Error("the HTML part is not marked as Spanish")
		}
		link := booksPDFLinkRe.FindStringSubmatch(m.Text)
		if link == nil {
			t.Fatalf("no PDF link in\n%s", m.Text)
		}
		pdf, name, err := e.s.ReceiptPDF(ctx, strings.TrimPrefix(link[1], ReceiptPath))
		if err != nil {
			t.Fatal(err)
		}
		if name != "receipt-1.pdf" {
			t.Errorf("file name %q", name)
		}
		text := booksPDFText(t, pdf)
		// The core fonts speak cp1252: "donación" prints with its accent as byte 0xF3.
		for _, want := range []string{"Recibo de donaci\xf3n 1", "$25.50", "Red de Solidaridad, Inc.", "12-3456789", "Fondo de fianzas"} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF lacks %q", want)
			}
		}
		var number sql.NullInt64
		if err := d.QueryRowContext(ctx, "SELECT receipt_number FROM giving_gifts WHERE id = ?", id).Scan(&number); err != nil || number.Int64 != 1 {
			t.Errorf("receipt number %v %v, want 1", number, err)
		}

		// A bad or unknown token is not found, the same answer either way.
		for _, file := range []string{"nope.pdf", strings.Repeat("a", 43) + ".pdf", strings.TrimPrefix(link[1], ReceiptPath) + "x"} {
			if _, _, err := e.s.ReceiptPDF(ctx, file); errs.CodeOf(err) != errs.CodeNotFound {
				t.Errorf("ReceiptPDF(%q) = %v, want not found", file, err)
			}
		}
		// Only the hash of the token is stored.
		var stored int
		token := strings.TrimSuffix(strings.TrimPrefix(link[1], ReceiptPath), ".pdf")
		if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM giving_links WHERE token_hash = ?", []byte(token)).Scan(&stored); err != nil || stored != 0 {
			t.Errorf("the raw token is stored (%d, %v)", stored, err)
		}
	})
}

// Receipt numbers follow each other with no gap across gifts, whoever records them and
// however they pay; a gift with no e-mail gets a number but no mail; a resend keeps the
// number.
func TestReceiptNumbersAreSequential(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		ana := e.person(t, "Ana", "ana@example.org", "en")
		var ids []int64
		ids = append(ids, e.gift(t, OfflineGift{PersonID: ana.ID, AmountCents: 1000}))
		ids = append(ids, e.gift(t, OfflineGift{AmountCents: 500})) // anonymous cash
		ids = append(ids, e.rawGift(t, Gift{PersonID: ana.ID, AmountCents: 2000, DonorEmail: "ana@example.org", StripePaymentIntent: "pi_1", ReceivedAt: d.Now()}))
		ids = append(ids, e.gift(t, OfflineGift{Email: "new@example.org", GivenName: "Nuevo", Language: "es", AmountCents: 700, Method: MethodBankTransfer}))
		for i, id := range ids {
			var n int64
			if err := d.QueryRowContext(ctx, "SELECT receipt_number FROM giving_gifts WHERE id = ?", id).Scan(&n); err != nil || n != int64(i+1) {
				t.Errorf("gift %d has receipt %d (%v), want %d", id, n, err, i+1)
			}
		}
		if got := len(e.mail.sent("giving.receipt")); got != 3 {
			t.Errorf("%d receipt mails, want 3 (the anonymous gift gets none)", got)
		}
		if err := e.s.ResendReceipt(ctx, booksOrganizer, ids[0]); err != nil {
			t.Fatal(err)
		}
		mails := e.mail.sent("giving.receipt")
		if last := mails[len(mails)-1]; !strings.Contains(last.Subject, "1") || last.To != "ana@example.org" {
			t.Errorf("resent %q to %q", last.Subject, last.To)
		}
		if err := e.s.ResendReceipt(ctx, booksOrganizer, ids[1]); errs.CodeOf(err) != errs.CodeInvalid {
			t.Errorf("resend of an anonymous gift: %v, want invalid", err)
		}
		if err := e.s.ResendReceipt(ctx, booksDispatcher, ids[0]); errs.CodeOf(err) != errs.CodeForbidden {
			t.Errorf("a dispatcher resends: %v, want forbidden", err)
		}
		var last int64
		if err := d.QueryRowContext(ctx, "SELECT last_number FROM giving_receipt_counter").Scan(&last); err != nil || last != 4 {
			t.Errorf("counter %d %v, want 4", last, err)
		}
	})
}

// Gifts recorded at the same time from many goroutines still get distinct, gap-free
// numbers: on PostgreSQL they queue on the counter row.
func TestReceiptNumbersUnderConcurrency(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		const n = 12
		var wg sync.WaitGroup
		errc := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := d.InTx(ctx, func(tx *db.Tx) error {
					_, err := e.s.addGift(ctx, tx, Gift{AmountCents: int64(100 + i), Currency: "usd", Method: MethodCash, ReceivedAt: d.Now()})
					return err
				})
				errc <- err
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Fatal(err)
			}
		}
		rows, err := d.QueryContext(ctx, "SELECT receipt_number FROM giving_gifts ORDER BY receipt_number")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var x int64
			if err := rows.Scan(&x); err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprint(x))
		}
		if want := "1 2 3 4 5 6 7 8 9 10 11 12"; strings.Join(got, " ") != want {
			t.Errorf("numbers %v, want %s", got, want)
		}
	})
}

// A rolled-back gift gives its number back: the next committed gift takes it, so the
// numbers that exist have no gap.
func TestReceiptNumberOfARolledBackGift(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		boom := fmt.Errorf("boom")
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := e.s.addGift(ctx, tx, Gift{AmountCents: 100, Currency: "usd", Method: MethodCash, ReceivedAt: d.Now()}); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Fatal(err)
		}
		id := e.rawGift(t, Gift{AmountCents: 200, Method: MethodCash, ReceivedAt: d.Now()})
		var n int64
		if err := d.QueryRowContext(ctx, "SELECT receipt_number FROM giving_gifts WHERE id = ?", id).Scan(&n); err != nil || n != 1 {
			t.Errorf("number %d %v, want 1", n, err)
		}
	})
}

// The receipt of a monthly gift's payment carries the link to change or cancel it.
func TestReceiptOfAMonthlyGiftHasTheManageLink(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		p := e.person(t, "Mónica", "monica@example.org", "es")
		var rec int64
		err := d.InTx(ctx, func(tx *db.Tx) error {
			var err error
			rec, err = tx.Insert(ctx, `INSERT INTO giving_recurring (person_id, amount_cents, currency, status, started_at, created_at, updated_at)
				VALUES (?, 1500, 'usd', 'active', ?, ?, ?)`, p.ID, tx.Now, tx.Now, tx.Now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		e.rawGift(t, Gift{PersonID: p.ID, RecurringID: rec, AmountCents: 1500, StripeInvoice: "in_1", ReceivedAt: d.Now()})
		m := e.mail.sent("giving.receipt")[0]
		if !strings.Contains(m.Text, "https://network.example.org"+ManagePath) || !strings.Contains(m.HTML, ManagePath) ||
			!strings.Contains(m.Text, "cambiar el monto de su donación mensual") {
			t.Errorf("no manage link in the receipt of a monthly gift:\n%s", m.Text)
		}
	})
}
