package giving

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

// The export writes the filtered gifts, neutralizes cells a spreadsheet would run, needs
// giving.export, and is audited with its filter and count but no donor data.
func TestExportGifts(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		booksReportData(t, e)
		e.rawGift(t, Gift{AmountCents: 999, Method: MethodCash, ReceivedAt: booksDate("2026-03-02"), DonorName: "=HYPERLINK(\"http://evil\")", Reference: "@SUM(A1)"})

		var out bytes.Buffer
		n, err := e.s.ExportGifts(ctx, booksOrganizer, GiftQuery{Method: MethodCash, From: booksDate("2026-01-01")}, &out)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&out).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 || len(rows) != 4 || strings.Join(rows[0], ",") != strings.Join(ExportColumns, ",") {
			t.Fatalf("%d rows: %v", n, rows)
		}
		// Oldest first: Beto's $200 (refunded $50), the anonymous $5, the formula.
		if r := rows[1]; r[2] != "200.00" || r[3] != "50.00" || r[4] != "150.00" || r[6] != "cash" || r[8] != "legal" || r[15] != "b@example.org" {
			t.Errorf("first row %v", r)
		}
		last := rows[3]
		if last[14] != `'=HYPERLINK("http://evil")` || last[12] != "'@SUM(A1)" {
			t.Errorf("cells not neutralized: %v", last)
		}
		entries := booksAudit(t, d, "giving.export")
		if len(entries) != 1 || !strings.Contains(entries[0].Detail, `"count":3`) || !strings.Contains(entries[0].Detail, `"method":"cash"`) ||
			strings.Contains(entries[0].Detail, "@example.org") {
			t.Errorf("audit %+v", entries)
		}
		if _, err := e.s.ExportGifts(ctx, booksDispatcher, GiftQuery{}, &out); errs.CodeOf(err) != errs.CodeForbidden {
			t.Errorf("a dispatcher exports: %v", err)
		}
		_, err = e.s.ExportGifts(ctx, booksOrganizer, GiftQuery{Method: "barter"}, &out)
		booksWantField(t, err, "method", "giving.report.filter_invalid")
	})
}

// The gift list filters and pages newest first with a cursor, with the totals of all that
// match.
func TestGiftList(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		page, fund := booksReportData(t, e)
		p1, err := e.s.Gifts(ctx, booksOrganizer, GiftQuery{Limit: 4})
		if err != nil {
			t.Fatal(err)
		}
		if p1.Count != 10 || len(p1.Gifts) != 4 || p1.Next == "" || len(p1.Totals) != 2 || p1.Gifts[0].ReceivedAt.Before(p1.Gifts[1].ReceivedAt) {
			t.Fatalf("first page: count %d, %d gifts, next %q, totals %+v", p1.Count, len(p1.Gifts), p1.Next, p1.Totals)
		}
		seen := map[int64]bool{}
		for q := (GiftQuery{Limit: 4}); ; {
			pg, err := e.s.Gifts(ctx, booksOrganizer, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range pg.Gifts {
				if seen[g.ID] {
					t.Fatalf("gift %d on two pages", g.ID)
				}
				seen[g.ID] = true
			}
			if pg.Next == "" {
				break
			}
			q.After = pg.Next
		}
		if len(seen) != 10 {
			t.Errorf("paged through %d gifts, want 10", len(seen))
		}
		for _, c := range []struct {
			q    GiftQuery
			want int
		}{
			{GiftQuery{PageID: page}, 2},
			{GiftQuery{FundID: fund}, 2},
			{GiftQuery{Method: MethodCard}, 3},
			{GiftQuery{From: booksDate("2026-02-01"), To: booksDate("2026-02-28")}, 4},
			{GiftQuery{To: booksDate("2025-12-31")}, 3},
		} {
			pg, err := e.s.Gifts(ctx, booksOrganizer, c.q)
			if err != nil || pg.Count != c.want || len(pg.Gifts) != c.want {
				t.Errorf("%+v: count %d, %d gifts (%v), want %d", c.q, pg.Count, len(pg.Gifts), err, c.want)
			}
		}
		if _, err := e.s.Gifts(ctx, booksOrganizer, GiftQuery{After: "garbage!"}); errs.CodeOf(err) != errs.CodeInvalid {
			t.Errorf("bad cursor: %v", err)
		}
		if _, err := e.s.Gifts(ctx, booksDispatcher, GiftQuery{}); errs.CodeOf(err) != errs.CodeForbidden {
			t.Errorf("a dispatcher lists gifts: %v", err)
		}
	})
}
