package giving

import (
	"context"
	"strings"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

// Staff record a check from an existing person, a transfer from a new donor (added through
// the people service, in Spanish) and an anonymous cash gift; each is audited and on the
// right timeline, and bad input comes back field by field with nothing recorded.
func TestRecordOfflineGift(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		ana := e.person(t, "Ana", "ana@example.org", "en")
		today := booksDay(d.Now())

		id := e.gift(t, OfflineGift{PersonID: ana.ID, AmountCents: 4200, Method: MethodCheck, Reference: "Check 311", ReceivedOn: today.AddDate(0, 0, -3)})
		g, err := e.s.GiftByID(ctx, booksOrganizer, id)
		if err != nil {
			t.Fatal(err)
		}
		if g.PersonID != ana.ID || g.DonorEmail != "ana@example.org" || g.Method != MethodCheck || g.RecordedBy != "account:7" ||
			!g.ReceivedAt.Equal(today.AddDate(0, 0, -3)) || g.Reference != "Check 311" || g.ReceiptNumber != 1 {
			t.Errorf("gift %+v", g)
		}

		// By e-mail: an existing person is found, whatever name is typed.
		again := e.gift(t, OfflineGift{Email: "ANA@example.org", GivenName: "Someone Else", AmountCents: 100})
		if g, _ := e.s.GiftByID(ctx, booksOrganizer, again); g.PersonID != ana.ID || g.DonorName != "Ana" {
			t.Errorf("by e-mail: %+v", g)
		}
		// A new donor.
		nuevo := e.gift(t, OfflineGift{Email: "rosa@example.org", GivenName: "Rosa", FamilyName: "Núñez", Language: "es",
			AmountCents: 15000, Method: MethodBankTransfer})
		g, _ = e.s.GiftByID(ctx, booksOrganizer, nuevo)
		if g.PersonID == 0 || g.DonorName != "Rosa Núñez" || g.Language != "es" {
			t.Errorf("new donor gift %+v", g)
		}
		rosa, err := e.people.Get(ctx, booksSystem, g.PersonID)
		if err != nil || rosa.Language != "es" || rosa.Name() != "Rosa Núñez" {
			t.Errorf("new donor %+v %v", rosa, err)
		}
		mails := e.mail.sent("giving.receipt")
		if last := mails[len(mails)-1]; last.To != "rosa@example.org" || !strings.Contains(last.Subject, "Recibo 3") ||
			!strings.Contains(last.Text, "Transferencia bancaria") || !strings.Contains(last.Text, "$150") {
			t.Errorf("Rosa's receipt %q:\n%s", last.Subject, last.Text)
		}
		// Anonymous cash.
		anon := e.gift(t, OfflineGift{AmountCents: 300})
		if g, _ := e.s.GiftByID(ctx, booksOrganizer, anon); g.PersonID != 0 || g.ReceiptNumber != 4 {
			t.Errorf("anonymous gift %+v", g)
		}
		if n := len(booksAudit(t, d, "giving.gift.record")); n != 4 {
			t.Errorf("%d gifts audited, want 4", n)
		}
		tl, err := e.people.Timeline(ctx, booksSystem, ana.ID, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		var onTimeline int
		for _, ev := range tl.Events {
			if ev.Kind == "giving.gift" {
				onTimeline++
			}
		}
		if onTimeline != 2 {
			t.Errorf("%d gifts on Ana's timeline, want 2", onTimeline)
		}

		inactive, err := e.s.SaveFund(ctx, booksOrganizer, 0, Fund{Code: "old", NameEn: "Old", NameEs: "Viejo"})
		if err != nil {
			t.Fatal(err)
		}
		before := booksCount(t, d, "giving_gifts")
		for _, c := range []struct {
			in    OfflineGift
			field string
			key   string
		}{
			{OfflineGift{AmountCents: 0, Currency: "usd", Method: MethodCash, ReceivedOn: today}, "amount", "giving.offline.amount_positive"},
			{OfflineGift{AmountCents: -5, Currency: "usd", Method: MethodCash, ReceivedOn: today}, "amount", "giving.offline.amount_positive"},
			{OfflineGift{AmountCents: 100, Currency: "usd", Method: MethodCash, ReceivedOn: today.AddDate(0, 0, 1)}, "date", "giving.offline.date_future"},
			{OfflineGift{AmountCents: 100, Currency: "usd", Method: MethodCash}, "date", "giving.offline.date_required"},
			{OfflineGift{AmountCents: 100, Currency: "usd", Method: MethodCard, ReceivedOn: today}, "method", "giving.offline.method_invalid"},
			{OfflineGift{AmountCents: 100, Currency: "xyz", Method: MethodCash, ReceivedOn: today}, "currency", "giving.offline.currency_invalid"},
			{OfflineGift{AmountCents: 100, Currency: "usd", Method: MethodCash, ReceivedOn: today, Email: "nobody@"}, "email", "giving.offline.email_invalid"},
			{OfflineGift{AmountCents: 100, Currency: "usd", Method: MethodCash, ReceivedOn: today, Email: "new@example.org"}, "given_name", "giving.offline.name_required"},
			{OfflineGift{AmountCents: 100, Currency: "usd", Method: MethodCash, ReceivedOn: today, GivenName: "Solo"}, "email", "giving.offline.email_required"},
			{OfflineGift{AmountCents: 100, Currency: "usd", Method: MethodCash, ReceivedOn: today, PersonID: 999999}, "person", "giving.offline.person_not_found"},
			{OfflineGift{AmountCents: 100, Currency: "usd", Method: MethodCash, ReceivedOn: today, FundID: inactive.ID}, "fund", "giving.offline.fund_invalid"},
			{OfflineGift{AmountCents: 100, Currency: "usd", Method: MethodCash, ReceivedOn: today, Reference: strings.Repeat("x", 101)}, "reference", "giving.offline.reference_invalid"},
			{OfflineGift{AmountCents: 100, Currency: "usd", Method: MethodCash, ReceivedOn: today, Language: "fr", Email: "x@example.org", GivenName: "X"}, "language", "giving.offline.language_invalid"},
		} {
			_, err := e.s.RecordOfflineGift(ctx, booksOrganizer, c.in)
			booksWantField(t, err, c.field, c.key)
		}
		// Today is fine, even late in the day.
		if _, err := e.s.RecordOfflineGift(ctx, booksOrganizer, OfflineGift{AmountCents: 100, Currency: "usd", Method: MethodOther,
			ReceivedOn: today.Add(23 * time.Hour)}); err != nil {
			t.Errorf("a gift of today: %v", err)
		}
		if _, err := e.s.RecordOfflineGift(ctx, booksDispatcher, OfflineGift{AmountCents: 100, Currency: "usd", Method: MethodCash, ReceivedOn: today}); errs.CodeOf(err) != errs.CodeForbidden {
			t.Errorf("a dispatcher records a gift: %v", err)
		}
		if got := booksCount(t, d, "giving_gifts"); got != before+1 {
			t.Errorf("%d gifts after refused input, want %d", got, before+1)
		}
	})
}

// Funds: added, renamed, a code taken twice refused, deleted only when nothing carries it.
func TestFunds(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		f, err := e.s.SaveFund(ctx, booksOrganizer, 0, Fund{Code: " Bail ", NameEn: "Bail fund", NameEs: "Fondo de fianzas", Active: true})
		if err != nil || f.Code != "bail" || f.Name("es") != "Fondo de fianzas" {
			t.Fatalf("fund %+v %v", f, err)
		}
		_, err = e.s.SaveFund(ctx, booksOrganizer, 0, Fund{Code: "bail", NameEn: "Other", NameEs: "Otro"})
		if e := errs.As(err); e.Code != errs.CodeConflict || e.Field != "code" || e.Key != "giving.fund.code_taken" {
			t.Errorf("duplicate code: %v", err)
		}
		err = func() error {
			_, err := e.s.SaveFund(ctx, booksOrganizer, 0, Fund{Code: "no spaces!", NameEn: ""})
			return err
		}()
		booksWantField(t, err, "code", "giving.fund.code_invalid")
		booksWantField(t, err, "name_en", "giving.fund.name_required")
		booksWantField(t, err, "name_es", "giving.fund.name_required")

		f, err = e.s.SaveFund(ctx, booksOrganizer, f.ID, Fund{Code: "bail", NameEn: "Bond fund", NameEs: "Fondo de fianzas", Active: false})
		if err != nil || f.NameEn != "Bond fund" || f.Active {
			t.Errorf("renamed %+v %v", f, err)
		}
		active, err := e.s.Funds(ctx, booksOrganizer, true)
		if err != nil || len(active) != 0 {
			t.Errorf("active funds %+v %v", active, err)
		}
		e.rawGift(t, Gift{AmountCents: 100, Method: MethodCash, FundID: f.ID, ReceivedAt: d.Now()})
		if err := e.s.DeleteFund(ctx, booksOrganizer, f.ID); errs.As(err).Key != "giving.fund.in_use" {
			t.Errorf("delete a fund in use: %v", err)
		}
		spare, _ := e.s.SaveFund(ctx, booksOrganizer, 0, Fund{Code: "spare", NameEn: "Spare", NameEs: "Sobrante"})
		if err := e.s.DeleteFund(ctx, booksOrganizer, spare.ID); err != nil {
			t.Errorf("delete: %v", err)
		}
		if _, err := e.s.Fund(ctx, booksOrganizer, spare.ID); errs.CodeOf(err) != errs.CodeNotFound {
			t.Errorf("deleted fund: %v", err)
		}
		if _, err := e.s.SaveFund(ctx, booksDispatcher, 0, Fund{Code: "x", NameEn: "X", NameEs: "X"}); errs.CodeOf(err) != errs.CodeForbidden {
			t.Errorf("a dispatcher adds a fund: %v", err)
		}
		if n := len(booksAudit(t, d, "giving.fund")); n != 4 {
			t.Errorf("%d fund changes audited, want 4", n)
		}
	})
}

// Receipt settings: saved and audited, checked, and kept from roles without giving.
func TestReceiptSettings(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		st, err := e.s.SaveSettings(ctx, booksAdmin, Settings{LegalName: "  Red, Inc. ", TaxStatementEn: "Line one.\r\nLine two."})
		if err != nil || st.LegalName != "Red, Inc." || st.TaxStatement("es") != "Line one.\nLine two." || st.UpdatedBy != "account:1" {
			t.Errorf("saved %+v %v", st, err)
		}
		_, err = e.s.SaveSettings(ctx, booksOrganizer, Settings{LegalName: strings.Repeat("x", 201), TaxID: "a\x01b"})
		booksWantField(t, err, "legal_name", "giving.settings.too_long")
		booksWantField(t, err, "tax_id", "giving.settings.invalid")
		if _, err := e.s.Settings(ctx, booksDispatcher); errs.CodeOf(err) != errs.CodeForbidden {
			t.Errorf("a dispatcher reads the settings: %v", err)
		}
		if n := len(booksAudit(t, d, "giving.settings")); n != 1 {
			t.Errorf("%d settings changes audited", n)
		}
	})
}
