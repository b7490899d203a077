package people_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/people"
	"solidarity/internal/people/peoplegen"
	"solidarity/internal/testkit"
)

// TestImportBigBatches imports batches big enough that every statement runs in full,
// reused chunks (thousands of rows a table, IN lists of many hundred values), a tenth of
// the rows being people already stored, and checks what was written, then that the same
// file again changes nothing.
func TestImportBigBatches(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := peoplegen.Generate(ctx, d, 900); err != nil {
			t.Fatal(err)
		}
		s := planService(t, d)
		actor := auth.System("test")
		var existing []string
		rows, err := d.QueryContext(ctx, "SELECT email FROM people ORDER BY id LIMIT 450")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var e string
			_ = rows.Scan(&e)
			existing = append(existing, e)
		}
		rows.Close()
		const n = 4500
		path := t.TempDir() + "/big.csv"
		writeImportFile(t, path, n, existing, 99)
		imp, err := s.ImportFile(ctx, actor, path, people.ImportOptions{Tags: []string{"big-import"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		// A tenth of the rows are stored people by e-mail; a random phone may also be
		// someone's already, which makes that row an update too.
		known, bad := n/10, n/1000
		if imp.Created+imp.Updated+imp.Unchanged != n-bad || imp.Updated+imp.Unchanged < known || imp.Created < n-known-bad-20 ||
			imp.Rejected != bad || imp.RowsDone != n {
			t.Fatalf("import = %+v", imp)
		}
		var total, emails int
		if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM people").Scan(&total); err != nil {
			t.Fatal(err)
		}
		if total != 900+imp.Created {
			t.Errorf("%d people after the import, want %d", total, 900+imp.Created)
		}
		if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM person_emails").Scan(&emails); err != nil {
			t.Fatal(err)
		}
		if emails < total || emails > total+imp.Updated+imp.Unchanged-known { // phone matches add their row's e-mail
			t.Errorf("%d e-mails for %d people", emails, total)
		}
		if got, _ := s.Count(ctx, actor, people.Filter{Tags: []string{"big-import"}}); got < imp.Created+known-20 || got > n-bad {
			t.Errorf("tagged big-import: %d, for %+v", got, imp)
		}
		// Every row's person holds what the row said: sample them.
		for i := 1; i < n; i += 97 {
			if i%10 == 0 || i%1000 == 999 {
				continue
			}
			email := fmt.Sprintf("bench99.%d@example.org", i)
			found, err := s.Search(ctx, actor, email, 5)
			if err != nil || len(found) != 1 {
				t.Fatalf("row %d: search %s = %v, %v", i, email, found, err)
			}
			p, err := s.Get(ctx, actor, found[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(p.Tags, "volunteer") || !slices.Contains(p.Tags, "big-import") || p.Address.ZIP == "" ||
				(i%3 != 0) != (len(p.Phones) == 1) || !slices.ContainsFunc(p.Consent, func(c people.Consent) bool {
				return c.Channel == people.ChannelEmail && c.Status == people.ConsentGranted && c.Method == people.MethodImport
			}) {
				t.Errorf("row %d: person = %+v", i, p)
			}
			byName, err := s.Search(ctx, actor, p.GivenName+" "+p.FamilyName, 500)
			if err != nil || !slices.ContainsFunc(byName, func(sm people.Summary) bool { return sm.ID == p.ID }) {
				t.Errorf("row %d: %s %s not found by name", i, p.GivenName, p.FamilyName)
			}
		}
		again, err := s.ImportFile(ctx, actor, path, people.ImportOptions{Tags: []string{"big-import"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if again.Created != 0 || again.Updated != 0 || again.Unchanged != n-bad {
			t.Errorf("the same file again = %+v", again)
		}
	})
}
