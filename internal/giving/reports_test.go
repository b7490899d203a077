package giving

import (
	"context"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

// booksNow is the fixed "now" of the report tests.
var booksNow = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

func booksDate(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// booksReportData records known gifts and recurring gifts (see the figures the report
// tests expect) and returns the ids of the page and fund used.
func booksReportData(t *testing.T, e *booksEnv) (page, fund int64) {
	t.Helper()
	ctx := context.Background()
	e.d.Clock = func() time.Time { return booksNow }
	f, err := e.s.SaveFund(ctx, booksOrganizer, 0, Fund{Code: "legal", NameEn: "Legal defence", NameEs: "Defensa legal", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	err = e.d.InTx(ctx, func(tx *db.Tx) error {
		page, err = tx.Insert(ctx, `INSERT INTO giving_pages (slug, title_en, title_es, created_at, updated_at) VALUES ('spring', 'Spring drive', 'Campaña de primavera', ?, ?)`, tx.Now, tx.Now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	a := e.person(t, "Ana", "a@example.org", "en")
	b := e.person(t, "Beto", "b@example.org", "es")
	c := e.person(t, "Cata", "c@example.org", "en")
	d := e.person(t, "Dani", "d@example.org", "en")
	eu := e.person(t, "Eva", "e@example.org", "en")
	f6 := e.person(t, "Fede", "f@example.org", "en")
	gifts := []Gift{
		{PersonID: a.ID, ReceivedAt: booksDate("2025-12-10"), AmountCents: 10000, Method: MethodCash},
		{PersonID: a.ID, ReceivedAt: booksDate("2026-02-05"), AmountCents: 5000, Method: MethodCard, PageID: page, FundID: f.ID, StripePaymentIntent: "pi_a"},
		{PersonID: a.ID, ReceivedAt: booksDate("2026-03-01"), AmountCents: 2500, Method: MethodCheck},
		{PersonID: b.ID, ReceivedAt: booksDate("2026-01-20"), AmountCents: 20000, Method: MethodCash, FundID: f.ID},
		{PersonID: c.ID, ReceivedAt: booksDate("2025-11-02"), AmountCents: 3000, Method: MethodCash},
		{PersonID: d.ID, ReceivedAt: booksDate("2026-03-10"), AmountCents: 1000, Method: MethodCard, PageID: page, StripePaymentIntent: "pi_d"},
		{ReceivedAt: booksDate("2026-02-14"), AmountCents: 500, Method: MethodCash},
		{PersonID: eu.ID, ReceivedAt: booksDate("2026-02-01"), AmountCents: 4000, Method: MethodBankTransfer, Currency: "eur"},
		{PersonID: f6.ID, ReceivedAt: booksDate("2025-06-01"), AmountCents: 700, Method: MethodCash},
		{PersonID: f6.ID, ReceivedAt: booksDate("2026-02-20"), AmountCents: 1500, Method: MethodCard, StripePaymentIntent: "pi_f"},
	}
	var beto int64
	for i, g := range gifts {
		id := e.rawGift(t, g)
		if i == 3 {
			beto = id
		}
	}
	if err := e.s.Refund(ctx, booksOrganizer, RefundRequest{GiftID: beto, AmountCents: 5000}); err != nil {
		t.Fatal(err)
	}
	// Monthly gifts: $10 running since December; $120 a year since March 1; $20 a month
	// cancelled on March 1; one still pending.
	for _, r := range []struct {
		amount            int64
		interval, status  string
		started, canceled string
	}{
		{1000, "month", "active", "2025-12-01", ""},
		{12000, "year", "active", "2026-03-01", ""},
		{2000, "month", "cancelled", "2025-10-01", "2026-03-01"},
		{5000, "month", "pending", "2026-03-14", ""},
	} {
		var cancelled any
		if r.canceled != "" {
			cancelled = booksDate(r.canceled)
		}
		if _, err := e.d.ExecContext(ctx, `INSERT INTO giving_recurring (amount_cents, currency, status, billing_interval, started_at, cancelled_at, created_at, updated_at)
			VALUES (?, 'usd', ?, ?, ?, ?, ?, ?)`, r.amount, r.status, r.interval, booksDate(r.started), cancelled, booksNow, booksNow); err != nil {
			t.Fatal(err)
		}
	}
	return page, f.ID
}

// The report's figures on known data: totals by month, page, fund and method (in one
// currency), MRR and its change, and the donor flow.
func TestReportFigures(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		page, fund := booksReportData(t, e)
		r, err := e.s.Report(ctx, booksOrganizer, ReportQuery{From: booksDate("2026-01-01"), To: booksDate("2026-03-15")})
		if err != nil {
			t.Fatal(err)
		}
		if r.Query.Group != ByMonth || r.Query.Currency != "usd" {
			t.Errorf("defaults %+v", r.Query)
		}
		if strings.Join(r.Currencies, ",") != "usd,eur" {
			t.Errorf("currencies %v", r.Currencies)
		}
		if r.Total.Count != 6 || r.Total.GrossCents != 30500 || r.Total.RefundedCents != 5000 || r.Total.Net() != "$255" {
			t.Errorf("total %+v", r.Total)
		}
		var got []string
		for _, b := range r.Series {
			got = append(got, b.Key+"="+b.Net()+"/"+strconv.Itoa(b.Count))
		}
		if want := "2026-01=$150/1 2026-02=$70/3 2026-03=$35/2"; strings.Join(got, " ") != want {
			t.Errorf("series %v, want %s", got, want)
		}
		wantLines := func(what string, ls []Line, want map[int64]string) {
			t.Helper()
			if len(ls) != len(want) {
				t.Errorf("%s: %d lines, want %d: %+v", what, len(ls), len(want), ls)
			}
			for _, l := range ls {
				if w := want[l.ID]; w != l.Net()+"/"+strconv.Itoa(l.Count) {
					t.Errorf("%s line %d (%s): %s/%d, want %s", what, l.ID, l.Name("en"), l.Net(), l.Count, w)
				}
			}
		}
		wantLines("by page", r.ByPage, map[int64]string{page: "$60/2", 0: "$195/4"})
		wantLines("by fund", r.ByFund, map[int64]string{fund: "$200/2", 0: "$55/4"})
		methods := map[string]string{}
		for _, l := range r.ByMethod {
			methods[l.Key] = l.Net() + "/" + strconv.Itoa(l.Count)
		}
		if methods["cash"] != "$155/2" || methods["card"] != "$75/3" || methods["check"] != "$25/1" || len(methods) != 3 {
			t.Errorf("by method %v", methods)
		}
		if r.ByPage[0].ID != 0 || r.ByPage[1].Name("es") != "Campaña de primavera" {
			t.Errorf("page lines out of order or unnamed: %+v", r.ByPage)
		}
		// MRR now: $10 + $120/12; a month ago: $10 + $20.
		if r.MRR.Cents != 2000 || r.MRR.Count != 2 || r.MRR.PreviousCents != 3000 || r.MRR.Change() != "-$10" {
			t.Errorf("mrr %+v change %s", r.MRR, r.MRR.Change())
		}
		// Ana gave in both periods; Beto, Dani and Eva are new; Fede came back; Cata lapsed.
		if f := r.Donors; f.New != 3 || f.Retained != 1 || f.Returning != 1 || f.Lapsed != 1 {
			t.Errorf("donor flow %+v", f)
		}
		if !r.Donors.PreviousFrom.Equal(booksDate("2025-10-19")) || !r.Donors.PreviousTo.Equal(booksDate("2025-12-31")) {
			t.Errorf("previous period %s to %s", r.Donors.PreviousFrom, r.Donors.PreviousTo)
		}

		// By day: every day of the range is a bucket, empty ones included.
		days, err := e.s.Report(ctx, booksOrganizer, ReportQuery{From: booksDate("2026-03-01"), To: booksDate("2026-03-15"), Group: ByDay})
		if err != nil {
			t.Fatal(err)
		}
		if len(days.Series) != 15 || days.Series[0].Net() != "$25" || days.Series[9].Net() != "$10" || days.Series[1].Count != 0 {
			t.Errorf("days %+v", days.Series)
		}
		years, err := e.s.Report(ctx, booksOrganizer, ReportQuery{From: booksDate("2025-01-01"), To: booksDate("2026-12-31"), Group: ByYear, Currency: "eur"})
		if err != nil {
			t.Fatal(err)
		}
		if len(years.Series) != 2 || years.Series[1].Net() != "40 EUR" || years.Series[0].Count != 0 {
			t.Errorf("years in euros %+v", years.Series)
		}

		// Bad queries come back as field errors.
		for _, c := range []struct {
			q     ReportQuery
			field string
			key   string
		}{
			{ReportQuery{From: booksDate("2026-03-01"), To: booksDate("2026-02-01")}, "from", "giving.report.range_invalid"},
			{ReportQuery{From: booksDate("2024-01-01"), To: booksDate("2026-02-01"), Group: ByDay}, "group", "giving.report.range_too_long"},
			{ReportQuery{Group: "week"}, "group", "giving.report.group_invalid"},
			{ReportQuery{Currency: "jpy"}, "currency", "giving.report.currency_invalid"},
		} {
			_, err := e.s.Report(ctx, booksOrganizer, c.q)
			booksWantField(t, err, c.field, c.key)
		}
		if _, err := e.s.Report(ctx, booksDispatcher, ReportQuery{}); errs.CodeOf(err) != errs.CodeForbidden {
			t.Errorf("a dispatcher reads the report: %v", err)
		}

		// The home's summary: this month and this year.
		sm, err := e.s.Summary(ctx, booksOrganizer)
		if err != nil {
			t.Fatal(err)
		}
		if len(sm.Month) != 1 || sm.Month[0].Net() != "$35" || sm.Year[0].Net() != "$255" || len(sm.Year) != 2 || sm.SetUp {
			t.Errorf("summary month %+v year %+v setup %v", sm.Month, sm.Year, sm.SetUp)
		}
		if len(sm.Recent) != 10 || sm.Recent[0].ReceivedAt.Before(sm.Recent[9].ReceivedAt) {
			t.Errorf("recent gifts: %d", len(sm.Recent))
		}
	})
}

// The chart is well-formed SVG with its accessible name and description and a bar for
// every bucket, and escapes what it prints.
func TestChartIsWellFormedSVG(t *testing.T) {
	series := []Bucket{
		{Key: "2026-01", Totals: Totals{Currency: "usd", Count: 1, GrossCents: 20000, RefundedCents: 5000}},
		{Key: "2026-02", Totals: Totals{Currency: "usd"}},
		{Key: "2026-03", Totals: Totals{Currency: "usd", Count: 2, GrossCents: 3500}},
	}
	svg := Chart(series, ChartText{ID: "gifts", Title: "Gifts <by> month", Desc: "Net gifts & refunds",
		Bar: func(b Bucket) string { return b.Key + ": " + b.Net() }})
	dec := xml.NewDecoder(strings.NewReader(svg))
	var rects, titles int
	var root xml.StartElement
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root.Name.Local == "" {
				root = se
			}
			switch se.Name.Local {
			case "rect":
				rects++
			case "title":
				titles++
			}
		}
	}
	attr := func(name string) string {
		for _, a := range root.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	if root.Name.Local != "svg" || attr("role") != "img" || attr("aria-labelledby") != "gifts-title gifts-desc" {
		t.Errorf("root %+v", root)
	}
	if rects != 3 || titles != 4 {
		t.Errorf("%d bars and %d titles, want 3 and 4", rects, titles)
	}
	for _, want := range []string{"Gifts &lt;by&gt; month", "Net gifts &amp; refunds", "2026-01: $150", `<title id="gifts-title">`, `<desc id="gifts-desc">`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	if got := niceCeil(15000); got != 20000 {
		t.Errorf("niceCeil(150 dollars) = %d", got)
	}
	if got := niceCeil(0); got != 100 {
		t.Errorf("niceCeil(0) = %d", got)
	}
}
