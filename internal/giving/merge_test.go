package giving

import (
	"context"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/testkit"
)

// Merging two people keeps every gift: the merged-away donor's gifts move to the person
// kept, with their receipts.
func TestMergeKeepsTheGifts(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newBooks(t, d, Config{})
		keep := e.person(t, "Ana", "ana@example.org", "en")
		lose := e.person(t, "Ana M.", "ana.m@example.org", "en")
		id := e.gift(t, OfflineGift{PersonID: lose.ID, AmountCents: 2500, Method: MethodCash})
		if _, err := e.people.Merge(ctx, booksSystem, keep.ID, lose.ID); err != nil {
			t.Fatal(err)
		}
		g, err := e.s.GiftByID(ctx, booksOrganizer, id)
		if err != nil {
			t.Fatal(err)
		}
		if g.PersonID != keep.ID || g.ReceiptNumber != 1 {
			t.Fatalf("after the merge the gift is %+v; want it on person %d", g, keep.ID)
		}
	})
}
