package giving

import (
	"context"
	"strings"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

// A donor asks for their annual statement: it lists every gift of the year at what was
// kept, with the total, in their language, with a PDF link. Unknown addresses and people
// who never gave get the same answer and no mail.
func TestStatementRequest(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		booksReportData(t, e) // Beto (b@example.org, Spanish) gave $200 on January 20, $50 refunded
		e.person(t, "Nadie", "never@example.org", "en")
		before := len(e.mail.sent("giving.statement"))

		if err := e.s.RequestStatement(ctx, " B@Example.org ", 2026); err != nil {
			t.Fatal(err)
		}
		for _, addr := range []string{"unknown@example.org", "never@example.org"} {
			if err := e.s.RequestStatement(ctx, addr, 2026); err != nil {
				t.Errorf("%s: %v, want the same answer as a known address", addr, err)
			}
		}
		mails := e.mail.sent("giving.statement")
		if len(mails) != before+1 {
			t.Fatalf("%d statements sent, want 1", len(mails)-before)
		}
		m := mails[len(mails)-1]
		if m.To != "b@example.org" || !strings.Contains(m.Subject, "2026") || !strings.Contains(m.Subject, "Su estado") {
			t.Errorf("statement to %q: %q", m.To, m.Subject)
		}
		for _, want := range []string{"20 de enero de 2026", "Efectivo", "Defensa legal", "$150", "Total: $150"} {
			if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
				t.Errorf("statement lacks %q\n%s", want, m.Text)
			}
		}
		link := booksPDFLinkRe.FindStringSubmatch(m.Text)
		if link == nil || !strings.HasPrefix(link[1], StatementPath) {
			t.Fatalf("no statement link in\n%s", m.Text)
		}
		pdf, name, err := e.s.StatementPDF(ctx, strings.TrimPrefix(link[1], StatementPath))
		if err != nil {
			t.Fatal(err)
		}
		text := booksPDFText(t, pdf)
		if name != "statement-2026.pdf" || !strings.Contains(text, "Estado anual de donaciones 2026") || !strings.Contains(text, "Total: $150") {
			t.Errorf("statement PDF %s lacks its title or total", name)
		}
		// A receipt link does not open a statement.
		if _, _, err := e.s.ReceiptPDF(ctx, strings.TrimPrefix(link[1], StatementPath)); errs.CodeOf(err) != errs.CodeNotFound {
			t.Errorf("a statement token opened a receipt: %v", err)
		}

		err = e.s.RequestStatement(ctx, "not an address", 1999)
		booksWantField(t, err, "email", "giving.statement.email_invalid")
		booksWantField(t, err, "year", "giving.statement.year_invalid")
		booksWantField(t, e.s.RequestStatement(ctx, "b@example.org", 2027), "year", "giving.statement.year_invalid")
	})
}

// Staff send a person's statement; a year with no gift says so.
func TestStatementSentByStaff(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		booksReportData(t, e)
		found, err := e.people.Search(ctx, booksSystem, "a@example.org", 1)
		if err != nil || len(found) != 1 {
			t.Fatal(found, err)
		}
		ana := found[0].ID
		if err := e.s.SendStatement(ctx, booksOrganizer, ana, 2025); err != nil {
			t.Fatal(err)
		}
		m := e.mail.sent("giving.statement")[0]
		if !strings.Contains(m.Text, "December 10, 2025") || !strings.Contains(m.Text, "Total: $100") || !strings.Contains(m.Subject, "Your 2025") {
			t.Errorf("Ana's 2025 statement:\n%s", m.Text)
		}
		if err := e.s.SendStatement(ctx, booksOrganizer, ana, 2024); err != nil {
			t.Fatal(err)
		}
		if m := e.mail.sent("giving.statement")[1]; !strings.Contains(m.Text, "no gift from you on record for 2024") {
			t.Errorf("empty statement:\n%s", m.Text)
		}
		if err := e.s.SendStatement(ctx, booksDispatcher, ana, 2025); errs.CodeOf(err) != errs.CodeForbidden {
			t.Errorf("a dispatcher sends a statement: %v", err)
		}
		if n := len(booksAudit(t, d, "giving.statement.send")); n != 2 {
			t.Errorf("%d statements audited, want 2", n)
		}
	})
}
