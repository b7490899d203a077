package people

import (
	"context"
	"strings"
	"testing"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

func TestCreateNormalizes(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		p := h.mustCreate(t, PersonInput{
			GivenName: "  María José ", FamilyName: "García\tLópez",
			Emails:   []string{" Maria@Example.ORG ", "maria@example.org", "mj@example.net"},
			Phones:   []string{"(512) 555-0134", "+52 55 1234 5678"},
			Address:  Address{Street: "100 Main St", City: "Newark", State: "new jersey", ZIP: "7102", Country: "United States"},
			Language: "Español", Tags: []string{"Volunteer", "volunteer ", "Rapid Response"},
			Notes: "Line one\nline two",
		})
		if p.GivenName != "María José" || p.FamilyName != "García López" {
			t.Errorf("names = %q %q", p.GivenName, p.FamilyName)
		}
		if got := []string{p.Emails[0].Address, p.Emails[1].Address}; len(p.Emails) != 2 || got[0] != "maria@example.org" || got[1] != "mj@example.net" || !p.Emails[0].Primary {
			t.Errorf("emails = %+v", p.Emails)
		}
		if len(p.Phones) != 2 || p.Phones[0].Number != "+15125550134" || p.Phones[1].Number != "+525512345678" {
			t.Errorf("phones = %+v", p.Phones)
		}
		if p.Address.State != "NJ" || p.Address.ZIP != "07102" || p.Address.Country != "US" {
			t.Errorf("address = %+v", p.Address)
		}
		if p.Language != "es" || len(p.Tags) != 2 || p.Notes != "Line one\nline two" {
			t.Errorf("language %q tags %v notes %q", p.Language, p.Tags, p.Notes)
		}
		if p.CreatedVia != "staff" || p.CreatedAt.IsZero() || !p.LastActiveAt.Equal(p.CreatedAt) {
			t.Errorf("via %q created %v active %v", p.CreatedVia, p.CreatedAt, p.LastActiveAt)
		}
	})
}

func TestCreateRefusesBadInput(t *testing.T) {
	long := strings.Repeat("a", 101)
	cases := []struct {
		name       string
		in         PersonInput
		field, key string
	}{
		{"no name", PersonInput{Emails: []string{"a@example.org"}}, "given_name", "people.name.required"},
		{"bad email", PersonInput{GivenName: "Ana", Emails: []string{"ana@"}}, "emails", "people.email.invalid"},
		{"email without dot", PersonInput{GivenName: "Ana", Emails: []string{"ana@localhost"}}, "emails", "people.email.invalid"},
		{"bad phone", PersonInput{GivenName: "Ana", Phones: []string{"12"}}, "phones", "people.phone.invalid"},
		{"letters phone", PersonInput{GivenName: "Ana", Phones: []string{"call me"}}, "phones", "people.phone.invalid"},
		{"long name", PersonInput{GivenName: long}, "given_name", "people.field.too_long"},
		{"control char", PersonInput{GivenName: "Ana\x00"}, "given_name", "people.field.invalid"},
		{"bad zip", PersonInput{GivenName: "Ana", Address: Address{ZIP: "<script>"}}, "zip", "people.zip.invalid"},
		{"language", PersonInput{GivenName: "Ana", Language: "klingon"}, "language", "people.language.invalid"},
		{"long tag", PersonInput{GivenName: "Ana", Tags: []string{strings.Repeat("t", 65)}}, "tags", "people.tag.too_long"},
		{"custom unknown", PersonInput{GivenName: "Ana", Fields: map[string]string{"shoe": "9"}}, "fields.shoe", "people.custom.unknown"},
	}
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := h.s.Create(context.Background(), organizer, c.in)
				wantCode(t, err, errs.CodeInvalid)
				wantField(t, err, c.field, c.key)
			})
		}
		if n := countRows(t, d, "people"); n != 0 {
			t.Errorf("%d people stored after bad input, want 0", n)
		}
	})
}

func TestPermissionsAndConflicts(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		in := PersonInput{GivenName: "Ana", Emails: []string{"ana@example.org"}, Phones: []string{"+15125550100"}}
		_, err := h.s.Create(ctx, responder, in)
		wantCode(t, err, errs.CodeForbidden)
		_, err = h.s.Create(ctx, auth.Public(), in)
		wantCode(t, err, errs.CodeUnauthenticated)
		_, err = h.s.Create(ctx, caseworker, in) // may read people, not change them
		wantCode(t, err, errs.CodeForbidden)
		p := h.mustCreate(t, in)
		if _, err := h.s.Get(ctx, caseworker, p.ID); err != nil {
			t.Errorf("caseworker Get: %v", err)
		}
		_, err = h.s.Create(ctx, organizer, PersonInput{GivenName: "Other", Emails: []string{"ANA@example.org"}})
		wantCode(t, err, errs.CodeConflict)
		if e := errs.As(err); e.Field != "emails" || e.Key != "people.email.taken" {
			t.Errorf("conflict = %+v", e)
		}
		_, err = h.s.Create(ctx, organizer, PersonInput{GivenName: "Other", Phones: []string{"512 555 0100"}})
		wantCode(t, err, errs.CodeConflict)
		_, err = h.s.Get(ctx, organizer, p.ID+100)
		wantCode(t, err, errs.CodeNotFound)
	})
}

func TestUpdateAndDelete(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		p := h.mustCreate(t, PersonInput{GivenName: "Ana", FamilyName: "Ruiz", Emails: []string{"ana@example.org"}, Tags: []string{"a", "b"}})
		u, err := h.s.Update(ctx, organizer, p.ID, PersonInput{GivenName: "Ana", FamilyName: "Ruiz Soto", Emails: []string{"ana.ruiz@example.org"}, Tags: []string{"b"}})
		if err != nil {
			t.Fatal(err)
		}
		if u.FamilyName != "Ruiz Soto" || u.PrimaryEmail() != "ana.ruiz@example.org" || len(u.Emails) != 1 || len(u.Tags) != 1 {
			t.Errorf("updated = %+v", u)
		}
		if res, err := h.s.Search(ctx, organizer, "soto", 10); err != nil || len(res) != 1 {
			t.Errorf("search by new family name = %v, %v", res, err)
		}
		if res, _ := h.s.Search(ctx, organizer, "ana@example.org", 10); len(res) != 0 {
			t.Errorf("old e-mail still found: %v", res)
		}
		if err := h.s.Delete(ctx, organizer, p.ID); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"people", "person_emails", "person_terms", "person_tags", "timeline"} {
			if n := countRows(t, d, table); n != 0 {
				t.Errorf("%s has %d rows after delete", table, n)
			}
		}
		log := auditActions(t, d)
		if len(log) != 1 || !strings.HasPrefix(log[0], "people.delete person:") || !strings.Contains(log[0], "account:7") {
			t.Errorf("audit = %v", log)
		}
		wantCode(t, h.s.Delete(ctx, organizer, p.ID), errs.CodeNotFound)
	})
}

func TestUpsertDedupes(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		api := auth.Actor{Kind: auth.KindAPIKey, ID: 3, Name: "sync", Role: auth.RoleOrganizer}
		first, err := h.s.Upsert(ctx, api, PersonInput{GivenName: "Luis", Emails: []string{"Luis@Example.org"}})
		if err != nil || !first.Created {
			t.Fatalf("first upsert = %+v, %v", first, err)
		}
		again, err := h.s.Upsert(ctx, api, PersonInput{GivenName: "Luis", Emails: []string{"luis@example.org"}})
		if err != nil || again.ID != first.ID || again.Created || again.Changed {
			t.Fatalf("same again = %+v, %v; want unchanged", again, err)
		}
		more, err := h.s.Upsert(ctx, api, PersonInput{FamilyName: "Pérez", Emails: []string{"luis@example.org"}, Phones: []string{"5125550101"}, Tags: []string{"donor"}})
		if err != nil || more.ID != first.ID || !more.Changed {
			t.Fatalf("more = %+v, %v", more, err)
		}
		byPhone, err := h.s.Upsert(ctx, api, PersonInput{Phones: []string{"+1 512-555-0101"}, Tags: []string{"volunteer"}})
		if err != nil || byPhone.ID != first.ID {
			t.Fatalf("by phone = %+v, %v", byPhone, err)
		}
		p, _ := h.s.Get(ctx, organizer, first.ID)
		if p.Name() != "Luis Pérez" || p.PrimaryPhone() != "+15125550101" || len(p.Tags) != 2 || p.CreatedVia != "api" {
			t.Errorf("person = %+v", p)
		}
		if n := countRows(t, d, "people"); n != 1 {
			t.Errorf("%d people, want 1", n)
		}
		_, err = h.s.Upsert(ctx, api, PersonInput{GivenName: "Nobody"})
		wantField(t, err, "emails", "people.email.required")
	})
}

func TestNormalizers(t *testing.T) {
	for in, want := range map[string]string{"José-María": "jose maria", "  O'Brien ": "o brien", "ÑANDÚ": "nandu", "Straße": "strasse"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	for _, c := range []struct{ in, want string }{{"Katherine", "Catherine"}, {"Gonzalez", "Gonzales"}, {"Jon", "John"}} {
		if soundCode(Fold(c.in)) != soundCode(Fold(c.want)) {
			t.Errorf("soundCode(%s) = %s, soundCode(%s) = %s; want equal", c.in, soundCode(Fold(c.in)), c.want, soundCode(Fold(c.want)))
		}
	}
	if soundCode("maria") == soundCode("pedro") {
		t.Error("maria and pedro sound alike")
	}
	for in, want := range map[string]string{"mar": "mas", "é": "ê", "z": "{"} {
		if got := prefixEnd(in); got != want {
			t.Errorf("prefixEnd(%q) = %q, want %q", in, got, want)
		}
	}
	if n, ok := NormalizePhone("'+15125550134", "US"); !ok || n != "+15125550134" {
		t.Errorf("quoted phone = %q %v", n, ok)
	}
}

func TestFoldFastPathMatchesUnicode(t *testing.T) {
	for r := rune(0); r < 0x400; r++ {
		s := "a" + string(r) + "Z"
		if Fold(s) != foldSlow(s) {
			t.Errorf("Fold(%q) = %q, foldSlow = %q", s, Fold(s), foldSlow(s))
		}
	}
	for _, s := range []string{"José-María  Núñez", "e\u0301cole", "Ørsted Æble", "İstanbul", "Straße", "¿Qué?", "  ", "Łódź", "ǅemal"} {
		if Fold(s) != foldSlow(s) {
			t.Errorf("Fold(%q) = %q, foldSlow = %q", s, Fold(s), foldSlow(s))
		}
	}
}
