package giving

import (
	"context"
	"testing"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

func TestParseAmount(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"25", 2500, true}, {"25.5", 2550, true}, {"25.50", 2550, true}, {"$1,000", 100000, true},
		{"12,50", 1250, true}, {" 7 ", 700, true}, {".75", 75, true},
		{"", 0, false}, {"abc", 0, false}, {"-5", 0, false}, {"1.234", 0, false}, {"0", 0, false}, {"1e3", 0, false},
		{"99999999999", 0, false}, {"5.", 0, false},
	} {
		got, ok := ParseAmount(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestPageValidate(t *testing.T) {
	base := func() Page {
		return Page{Slug: "bail-fund", TitleEn: "Bail", TitleEs: "Fianzas", Amounts: []int64{2500, 1000, 2500}, AllowCustom: true}
	}
	p := base()
	if err := p.Validate(); err != nil {
		t.Fatalf("valid page: %v", err)
	}
	if p.Currency != "usd" || p.Frequency != FrequencyBoth || len(p.Amounts) != 2 || p.Amounts[0] != 1000 {
		t.Errorf("defaults and sorted amounts: %+v", p)
	}
	for _, c := range []struct {
		tune       func(*Page)
		field, key string
	}{
		{func(p *Page) { p.Slug = "" }, "slug", "giving.page.slug_required"},
		{func(p *Page) { p.Slug = "Bail Fund!" }, "slug", "giving.page.slug_invalid"},
		{func(p *Page) { p.Slug = "manage" }, "slug", "giving.page.slug_reserved"},
		{func(p *Page) { p.TitleEs = " " }, "title_es", "giving.page.required"},
		{func(p *Page) { p.Currency = "btc" }, "currency", "giving.page.currency_invalid"},
		{func(p *Page) { p.Frequency = "weekly" }, "frequency", "giving.page.frequency_invalid"},
		{func(p *Page) { p.Amounts, p.AllowCustom = nil, false }, "amounts", "giving.page.amounts_none"},
		{func(p *Page) { p.Amounts = []int64{50} }, "amounts", "giving.page.amounts_bounds"},
		{func(p *Page) { p.GoalCents = -1 }, "goal", "giving.page.goal_invalid"},
	} {
		p := base()
		c.tune(&p)
		cardWantField(t, p.Validate(), c.field, c.key)
	}
}

func TestSavePagePermissionsSlugAndProgress(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newCard(t, d, false)
		ctx := context.Background()
		p := Page{Slug: "bail-fund", TitleEn: "Bail", TitleEs: "Fianzas", AllowCustom: true, GoalCents: 10000}
		if _, err := e.s.SavePage(ctx, cardCaseworker, 0, p); errs.CodeOf(err) != errs.CodeForbidden {
			t.Fatalf("caseworker saves a page: %v", err)
		}
		saved := e.page(t, "bail-fund", func(p *Page) { p.GoalCents = 10000 })
		if _, err := e.s.SavePage(ctx, cardOrganizer, 0, p); errs.CodeOf(err) != errs.CodeConflict || errs.As(err).Field != "slug" {
			t.Fatalf("duplicate slug: %v", err)
		}
		// A gift to the page, less a refund, moves the bar.
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			id, err := e.s.addGift(ctx, tx, Gift{PageID: saved.ID, AmountCents: 5000, Currency: "usd", Method: MethodCard, ReceivedAt: tx.Now})
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, "UPDATE giving_gifts SET refunded_cents = 1000 WHERE id = ?", id)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		pp, err := e.s.PageBySlug(ctx, auth.Public(), "bail-fund")
		if err != nil {
			t.Fatal(err)
		}
		if pp.Progress.RaisedCents != 4000 || pp.Progress.Percent != 40 || pp.CardGiving {
			t.Errorf("progress %+v, card giving %v; want 4000 raised, 40%%, card giving off", pp.Progress, pp.CardGiving)
		}
		// Unpublished: not found for the public, a preview for staff.
		saved.Published = false
		if _, err := e.s.SavePage(ctx, cardOrganizer, saved.ID, saved); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.PageBySlug(ctx, auth.Public(), "bail-fund"); errs.CodeOf(err) != errs.CodeNotFound {
			t.Errorf("unpublished page for the public: %v", err)
		}
		if pp, err := e.s.PageBySlug(ctx, cardOrganizer, "bail-fund"); err != nil || !pp.Preview {
			t.Errorf("staff preview: %+v %v", pp.Preview, err)
		}
		list, err := e.s.Pages(ctx, cardOrganizer)
		if err != nil || len(list) != 1 || list[0].RaisedCents != 4000 || list[0].Gifts != 1 {
			t.Errorf("pages list %+v %v", list, err)
		}
	})
}

func TestGroupedAmount(t *testing.T) {
	for _, c := range []struct {
		cents    int64
		currency string
		want     string
	}{
		{100, "usd", "$1"}, {100000, "usd", "$1,000"}, {10_000_000, "usd", "$100,000"}, {123456789, "usd", "$1,234,567.89"},
		{1250, "usd", "$12.50"}, {200000, "eur", "2,000 EUR"}, {-150000, "usd", "-$1,500"},
	} {
		if got := GroupedAmount(c.cents, c.currency); got != c.want {
			t.Errorf("GroupedAmount(%d, %s) = %q, want %q", c.cents, c.currency, got, c.want)
		}
	}
}
