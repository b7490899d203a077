package peoplegen_test

import (
	"context"
	"testing"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/i18n"
	"solidarity/internal/jobs"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/people/peoplegen"
	"solidarity/internal/testkit"
)

type mailer struct{}

func (mailer) Email(context.Context, *db.Tx, notify.Email) (int64, error) { return 0, nil }

func TestGenerate(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st, err := peoplegen.Generate(ctx, d, 3000)
		if err != nil {
			t.Fatal(err)
		}
		if st.People != 3000 || st.Organizations != 300 {
			t.Errorf("stats = %+v", st)
		}
		if _, err := peoplegen.Generate(ctx, d, 500); err != nil {
			t.Fatalf("second run: %v", err)
		}
		cat, _ := i18n.Load()
		s, err := people.New(people.Config{}, people.Deps{DB: d, Jobs: jobs.New(d, testkit.Logger()), Mail: mailer{}, Catalog: cat})
		if err != nil {
			t.Fatal(err)
		}
		sys := auth.System("test")
		all, err := s.Count(ctx, sys, people.Filter{})
		if err != nil || all != 3500 {
			t.Errorf("count = %d, %v", all, err)
		}
		es, _ := s.Count(ctx, sys, people.Filter{Languages: []string{"es"}})
		vol, _ := s.Count(ctx, sys, people.Filter{Tags: []string{"volunteer"}})
		if es < 1500 || es > 2300 || vol < 350 || vol > 700 {
			t.Errorf("spanish %d, volunteers %d: not the expected mix", es, vol)
		}
		found, err := s.Search(ctx, sys, "garc", 10)
		if err != nil || len(found) == 0 {
			t.Errorf("search garc = %v, %v", found, err)
		}
		p, err := s.Get(ctx, sys, found[0].ID)
		if err != nil || p.PrimaryEmail() == "" || p.Address.ZIP == "" {
			t.Errorf("generated person = %+v, %v", p, err)
		}
		dups, err := s.LikelyDuplicates(ctx, sys, "", 10)
		if err != nil || len(dups.Pairs) == 0 {
			t.Errorf("no likely duplicates generated: %v", err)
		}
	})
}
