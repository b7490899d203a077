package app_test

import (
	"context"
	"encoding/csv"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/db"
)

// An organizer records a check from a Spanish-speaking donor: the receipt goes to her in
// Spanish (HTML and text) with the legal name and tax statement, and its PDF opens from
// the link without an account. Receipt numbers follow each other across gifts; bad input
// comes back translated, field by field.
func TestGivingStaffOfflineGiftAndReceipt(t *testing.T) {
	givsEachApp(t, func(t *testing.T, a *app.App) {
		g := adminAs(t, a, auth.RoleOrganizer)
		lucia := givsPerson(t, a, "Lucía", "lucia@example.org", "es")
		g.postDone("/giving/settings", url.Values{"legal_name": {"Red Solidaria, Inc."}, "tax_id": {"12-3456789"},
			"tax_statement_en": {"No goods or services were provided."}, "tax_statement_es": {"No se entregaron bienes ni servicios."}},
			"/giving/settings").expect(t, "settings saved", http.StatusOK, g.tr("givs.settings.saved"), "Red Solidaria, Inc.")

		g.get("/giving/gifts/new").expect(t, "gift form", http.StatusOK, g.tr("givs.record.title"), `name="amount"`, `type="date"`)
		today := a.DB.Now().UTC().Format("2006-01-02")
		tomorrow := a.DB.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02")
		bad := g.post("/giving/gifts", givsGiftForm(map[string]string{"date": tomorrow, "amount": "0", "method": "card"}))
		bad.expect(t, "bad gift", http.StatusUnprocessableEntity, g.tr("giving.offline.date_future"), g.tr("giving.offline.amount_positive"),
			g.tr("giving.offline.method_invalid"), `aria-invalid="true" aria-describedby="f-amount-error"`)
		g.post("/giving/gifts", givsGiftForm(map[string]string{"date": today, "amount": "ten"})).
			expect(t, "amount not a number", http.StatusUnprocessableEntity, g.tr("giving.offline.amount_format"))

		id := givsRecord(t, a, g, map[string]string{"email": "lucia@example.org", "amount": "40", "method": "check", "reference": "Cheque 12"})
		g.get(givsGiftURL(id)).expect(t, "gift page", http.StatusOK, "$40", "Cheque 12", "Lucía", `href="/people/`+strconv.FormatInt(lucia.ID, 10)+`"`)

		m := givsMail(t, a, "lucia@example.org", "giving.receipt")
		if !strings.Contains(m.Subject, "Recibo 1") || !strings.Contains(m.Subject, "Red Solidaria, Inc.") {
			t.Errorf("subject %q", m.Subject)
		}
		for _, want := range []string{"Hola, Lucía:", "$40", "Cheque", "Cheque 12", "No se entregaron bienes ni servicios.", "12-3456789", "/giving/statement"} {
			if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
				t.Errorf("Spanish receipt lacks %q\n%s", want, m.Text)
			}
		}
		if !strings.Contains(m.HTML, `<html lang="es">`) {
			t.Error("the receipt's HTML is not marked Spanish")
		}
		visitor := newVisitor(t, a, "203.0.113.9")
		pdf := visitor.get(givsPDFPath(t, m))
		if pdf.Status != http.StatusOK || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF-") ||
			pdf.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("PDF: %d %q %q", pdf.Status, pdf.Header.Get("Content-Type"), pdf.Body[:min(len(pdf.Body), 10)])
		}
		if r := visitor.get("/receipts/" + strings.Repeat("A", 43) + ".pdf"); r.Status != http.StatusNotFound {
			t.Errorf("unknown receipt link: %d", r.Status)
		}

		anon := givsRecord(t, a, g, map[string]string{"amount": "5"})
		other := givsRecord(t, a, g, map[string]string{"email": "nuevo@example.org", "given_name": "Nuevo", "language": "es", "amount": "12.50", "method": "bank_transfer"})
		for want, gid := range map[int64]int64{1: id, 2: anon, 3: other} {
			if n := givsGift(t, a, gid).ReceiptNumber; n != want {
				t.Errorf("gift %d has receipt %d, want %d", gid, n, want)
			}
		}
		if len(givsMails(t, a, "nuevo@example.org", "giving.receipt")) != 1 {
			t.Error("the new donor got no receipt")
		}
		g.postDone(givsGiftURL(id)+"/receipt", nil, givsGiftURL(id)).expect(t, "resent", http.StatusOK, g.tr("givs.gift.resent"))
		if n := len(givsMails(t, a, "lucia@example.org", "giving.receipt")); n != 2 {
			t.Errorf("%d receipts to Lucía after a resend, want 2", n)
		}
		if e := adminAudited(t, a, "giving.gift.record"); len(e) != 3 || strings.Contains(e[0].Detail, "@") {
			t.Errorf("gift records audited: %+v", e)
		}
		// The home and the lists show them.
		g.get("/giving").expect(t, "home", http.StatusOK, g.tr("givs.home.title"), "$57.50", "Lucía")
		g.get("/giving/gifts?method=check").expect(t, "filtered list", http.StatusOK, a.Catalog.Localizer("en").N("givs.gifts.count", 1))
		g.get("/giving/gifts?from=nope").expect(t, "bad filter", http.StatusUnprocessableEntity, g.tr("giving.report.date_invalid"))
		g.get("/giving/people/"+strconv.FormatInt(lucia.ID, 10)).expect(t, "person's gifts", http.StatusOK, "Lucía", "$40")
	})
}

// Refunds from the gift page: a confirmation first; an offline gift in part, then more
// than is left refused, then the rest; a card gift through Stripe (stripe-mock).
func TestGivingStaffRefunds(t *testing.T) {
	givsEachApp(t, func(t *testing.T, a *app.App) {
		g := adminAs(t, a, auth.RoleOrganizer)
		id := givsRecord(t, a, g, map[string]string{"amount": "100", "email": "ana@example.org", "given_name": "Ana"})
		path := givsGiftURL(id) + "/refund"
		g.post(path, url.Values{"amount": {"30"}, "reason": {"Duplicate"}}).
			expect(t, "confirmation", http.StatusOK, g.tr("givs.refund.confirm_title"), "$30", `name="confirm" value="yes"`)
		if givsGift(t, a, id).RefundedCents != 0 {
			t.Fatal("refunded before confirmation")
		}
		g.postDone(path, url.Values{"amount": {"30"}, "reason": {"Duplicate"}, "confirm": {"yes"}}, givsGiftURL(id)).
			expect(t, "partly refunded", http.StatusOK, g.tr("givs.refund.flash"), "Duplicate", g.tr("givs.status.partially_refunded"))
		g.post(path, url.Values{"amount": {"80"}, "confirm": {"yes"}}).
			expect(t, "too much", http.StatusUnprocessableEntity, g.tr("giving.refund.amount_too_large"))
		g.post(path, url.Values{"amount": {"-1"}, "confirm": {"yes"}}).
			expect(t, "negative", http.StatusUnprocessableEntity, g.tr("giving.refund.amount_positive"))
		g.postDone(path, url.Values{"amount": {"70"}, "confirm": {"yes"}}, givsGiftURL(id))
		if gift := givsGift(t, a, id); gift.RefundedCents != 10000 || gift.Status != "refunded" {
			t.Errorf("after the full refund: %+v", gift)
		}
		if e := adminAudited(t, a, "giving.refund"); len(e) != 2 {
			t.Errorf("%d refunds audited, want 2", len(e))
		}

		// A card gift, as the webhook records it.
		var card int64
		err := a.DB.InTx(context.Background(), func(tx *db.Tx) error {
			var err error
			card, err = tx.Insert(context.Background(), `INSERT INTO giving_gifts (amount_cents, currency, method, status, received_at,
				stripe_payment_intent, stripe_charge, created_at, updated_at) VALUES (5000, 'usd', 'card', 'succeeded', ?, 'pi_app_1', 'ch_app_1', ?, ?)`,
				tx.Now, tx.Now, tx.Now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		g.get(givsGiftURL(card)).expect(t, "card gift", http.StatusOK, g.tr("givs.refund.card_note"), "pi_app_1")
		g.postDone(givsGiftURL(card)+"/refund", url.Values{"amount": {"20"}, "confirm": {"yes"}}, givsGiftURL(card)).
			expect(t, "card refund", http.StatusOK, g.tr("givs.refund.flash"), "re_", g.tr("givs.refund.source_staff"))
		if gift := givsGift(t, a, card); gift.RefundedCents != 2000 || gift.Status != "partially_refunded" {
			t.Errorf("card gift after a refund: %+v", gift)
		}
	})
}

// The report's figures on gifts of last month and this month, the server-drawn chart
// (well-formed SVG with its name and description, one bar a month) and its table.
func TestGivingStaffReportsAndChart(t *testing.T) {
	givsEachApp(t, func(t *testing.T, a *app.App) {
		g := adminAs(t, a, auth.RoleOrganizer)
		now := a.DB.Now().UTC()
		this := now.AddDate(0, 0, 1-now.Day())
		last := this.AddDate(0, -1, 0)
		day := func(d interface{ Format(string) string }) string { return d.Format("2006-01-02") }
		givsRecord(t, a, g, map[string]string{"date": day(last), "amount": "100", "email": "a@example.org", "given_name": "Ana"})
		givsRecord(t, a, g, map[string]string{"date": day(this), "amount": "50", "method": "check", "email": "a@example.org"})
		givsRecord(t, a, g, map[string]string{"date": day(this), "amount": "20", "email": "b@example.org", "given_name": "Beto"})
		givsRecord(t, a, g, map[string]string{"date": day(last), "amount": "5"})

		p := g.get("/giving/reports?from=" + day(last) + "&to=" + day(now) + "&group=month")
		p.expect(t, "report", http.StatusOK, g.tr("givs.reports.title"), "$175", "$105", "$70",
			g.tr("givs.reports.new")+"</dt><dd>2</dd>", g.tr("givs.reports.lapsed")+"</dt><dd>0</dd>",
			`<th scope="row">`+last.Format("2006-01")+`</th>`, `<th scope="row">`+this.Format("2006-01")+`</th>`)
		start, end := strings.Index(p.Raw, "<svg"), strings.Index(p.Raw, "</svg>")
		if start < 0 || end < start {
			t.Fatal("no inline SVG chart")
		}
		svg := p.Raw[start : end+len("</svg>")]
		dec := xml.NewDecoder(strings.NewReader(svg))
		var bars int
		var root xml.StartElement
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("chart is not well-formed XML: %v\n%s", err, svg)
			}
			if se, ok := tok.(xml.StartElement); ok {
				if root.Name.Local == "" {
					root = se
				}
				if se.Name.Local == "rect" {
					bars++
				}
			}
		}
		if bars != 2 || !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, `aria-labelledby="givs-chart-title givs-chart-desc"`) ||
			!strings.Contains(svg, `<desc id="givs-chart-desc">`) {
			t.Errorf("chart: %d bars\n%s", bars, svg)
		}
		g.get("/giving/reports?group=week").expect(t, "bad grouping", http.StatusUnprocessableEntity, g.tr("giving.report.group_invalid"))
		g.get("/giving/reports?from=2020-01-01&to=2026-01-01&group=day").expect(t, "too many days", http.StatusUnprocessableEntity, g.tr("giving.report.range_too_long"))
		g.lang = "es"
		g.get("/giving/reports").expect(t, "report in Spanish", http.StatusOK, "Informes de donaciones", "Donaciones netas por mes")
	})
}

// The export needs giving.export, neutralizes formulas, and is audited without donor
// data; a role without giving is refused.
func TestGivingStaffExport(t *testing.T) {
	givsEachApp(t, func(t *testing.T, a *app.App) {
		g := adminAs(t, a, auth.RoleOrganizer)
		givsRecord(t, a, g, map[string]string{"amount": "12", "reference": "=SUM(A1:A9)", "email": "x@example.org", "given_name": "Xi"})
		givsRecord(t, a, g, map[string]string{"amount": "3", "method": "other"})
		p := g.post("/giving/export", url.Values{"method": {"cash"}})
		if p.Status != http.StatusOK || !strings.HasPrefix(p.Header.Get("Content-Type"), "text/csv") || p.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("export: %d %q", p.Status, p.Header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(p.Raw, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0][0] != "gift_id" || rows[1][12] != "'=SUM(A1:A9)" || rows[1][15] != "x@example.org" {
			t.Errorf("export rows %v", rows)
		}
		e := adminAudited(t, a, "giving.export")
		if len(e) != 1 || !strings.Contains(e[0].Detail, `"count":1`) || strings.Contains(e[0].Detail, "example.org") {
			t.Errorf("export audit %+v", e)
		}
		d := adminAs(t, a, auth.RoleDispatcher)
		if r := d.post("/giving/export", nil); r.Status != http.StatusForbidden {
			t.Errorf("a dispatcher's export: %d", r.Status)
		}
		if r := d.get("/giving"); r.Status != http.StatusForbidden {
			t.Errorf("a dispatcher's giving home: %d", r.Status)
		}
	})
}

// The public statement form answers the same for a donor, a stranger and a robot, mails
// only the donor, refuses a malformed address, and limits requests per address.
func TestGivingStatementFormSameAnswer(t *testing.T) {
	givsEachApp(t, func(t *testing.T, a *app.App) {
		g := adminAs(t, a, auth.RoleOrganizer)
		givsRecord(t, a, g, map[string]string{"amount": "60", "email": "donor@example.org", "given_name": "Dora", "language": "es"})
		year := strconv.Itoa(a.DB.Now().Year())
		v := newVisitor(t, a, "198.51.100.7")
		must(t, "statement form", v.get("/giving/statement"), http.StatusOK, en(a, "giving.statement.form.title"), `name="website"`)
		answers := map[string]answer{
			"donor":    v.post("/giving/statement", url.Values{"email": {"donor@example.org"}, "year": {year}}),
			"stranger": v.post("/giving/statement", url.Values{"email": {"stranger@example.org"}, "year": {year}}),
			"robot":    v.post("/giving/statement", url.Values{"email": {"robot@example.org"}, "year": {year}, "website": {"spam"}}),
		}
		for who, r := range answers {
			if r.Status != http.StatusSeeOther || r.Location != "/giving/statement/sent" {
				t.Errorf("%s: %d %q", who, r.Status, r.Location)
			}
		}
		must(t, "sent page", v.get("/giving/statement/sent"), http.StatusOK, en(a, "giving.statement.form.sent"))
		m := givsMail(t, a, "donor@example.org", "giving.statement")
		if !strings.Contains(m.Subject, year) || !strings.Contains(m.Text, "$60") || !strings.Contains(m.Subject, "Su estado") {
			t.Errorf("statement %q\n%s", m.Subject, m.Text)
		}
		if pdf := v.get(givsPDFPath(t, m)); pdf.Status != http.StatusOK || !strings.HasPrefix(pdf.Body, "%PDF-") {
			t.Errorf("statement PDF: %d", pdf.Status)
		}
		if n := len(givsMails(t, a, "stranger@example.org", "giving.statement")) + len(givsMails(t, a, "robot@example.org", "giving.statement")); n != 0 {
			t.Errorf("%d statements to people who never gave", n)
		}
		must(t, "bad address", v.post("/giving/statement", url.Values{"email": {"nope"}, "year": {year}}), http.StatusUnprocessableEntity,
			en(a, "giving.statement.email_invalid"))
		must(t, "empty form", v.post("/giving/statement", nil), http.StatusUnprocessableEntity)
		// The third request for one address today is the last.
		other := newVisitor(t, a, "198.51.100.8")
		for range 2 {
			other.post("/giving/statement", url.Values{"email": {"donor@example.org"}, "year": {year}})
		}
		if r := other.post("/giving/statement", url.Values{"email": {"donor@example.org"}, "year": {year}}); r.Status != http.StatusTooManyRequests {
			t.Errorf("fourth request for one address: %d, want 429", r.Status)
		}
		// Staff send one from the person's gifts.
		p := pubMust(t, a, "donor@example.org")
		g.postDone("/giving/people/"+strconv.FormatInt(p.ID, 10)+"/statement", url.Values{"year": {year}}, "/giving/people/"+strconv.FormatInt(p.ID, 10)).
			expect(t, "statement sent by staff", http.StatusOK, g.tr("givs.person.statement_sent"))
	})
}

// Funds: added, listed, changed, and a fund in use kept from deletion.
func TestGivingStaffFunds(t *testing.T) {
	givsEachApp(t, func(t *testing.T, a *app.App) {
		g := adminAs(t, a, auth.RoleOrganizer)
		g.postDone("/giving/funds", url.Values{"code": {"bail"}, "name_en": {"Bail fund"}, "name_es": {"Fondo de fianzas"}, "active": {"yes"}}, "/giving/funds").
			expect(t, "fund added", http.StatusOK, g.tr("givs.funds.saved"), "Bail fund", "bail")
		g.post("/giving/funds", url.Values{"code": {"bail"}, "name_en": {"X"}, "name_es": {"X"}}).
			expect(t, "code taken", http.StatusConflict, g.tr("giving.fund.code_taken"))
		g.post("/giving/funds", url.Values{}).expect(t, "empty fund", http.StatusUnprocessableEntity, g.tr("giving.fund.code_required"))
		funds, err := a.Giving.Funds(context.Background(), givsSystem, true)
		if err != nil || len(funds) != 1 {
			t.Fatal(funds, err)
		}
		fid := strconv.FormatInt(funds[0].ID, 10)
		gift := givsRecord(t, a, g, map[string]string{"amount": "9", "fund": fid})
		g.get(givsGiftURL(gift)).expect(t, "gift with a fund", http.StatusOK, "Bail fund")
		g.post("/giving/funds/"+fid+"/delete", nil).expect(t, "delete asks", http.StatusOK, g.tr("givs.funds.delete_title"))
		g.post("/giving/funds/"+fid+"/delete", url.Values{"confirm": {"yes"}}).expect(t, "fund in use", http.StatusConflict, g.tr("giving.fund.in_use"))
		g.lang = "es"
		g.get("/giving/funds").expect(t, "funds in Spanish", http.StatusOK, "Fondo de fianzas")
	})
}

// givsGiftURL is the address of a gift's staff page.
func givsGiftURL(id int64) string { return "/giving/gifts/" + strconv.FormatInt(id, 10) }
