package giving

import (
	"context"
	"testing"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

// Cash collected at a campaign's event counts toward its page's goal; a page that does
// not exist is refused on the form's field, and nothing is recorded.
func TestOfflineGiftCountsTowardItsPage(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		page, err := e.s.SavePage(ctx, booksOrganizer, 0, Page{Slug: "vigil", TitleEn: "Vigil", TitleEs: "Vigilia",
			AllowCustom: true, GoalCents: 20000, Published: true})
		if err != nil {
			t.Fatal(err)
		}
		e.gift(t, OfflineGift{PageID: page.ID, AmountCents: 5000, Method: MethodCash})
		if _, err := e.s.RecordOfflineGift(ctx, booksOrganizer, OfflineGift{PageID: page.ID + 99, AmountCents: 100, Currency: "usd",
			Method: MethodCash, ReceivedOn: booksDay(d.Now())}); errs.CodeOf(err) != errs.CodeInvalid || errs.As(err).Field != "page" {
			t.Fatalf("an unknown page = %v", err)
		}
		pp, err := e.s.PageBySlug(ctx, auth.Public(), "vigil")
		if err != nil {
			t.Fatal(err)
		}
		if pp.Progress.RaisedCents != 5000 || pp.Progress.Percent != 25 {
			t.Fatalf("progress %+v; want $50 of $200", pp.Progress)
		}
		if n := booksCount(t, d, "giving_gifts"); n != 1 {
			t.Fatalf("%d gifts recorded; want 1", n)
		}
	})
}
