package people

import (
	"context"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

func TestOrganizationsAndDirectory(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		_, err := h.s.SaveOrganization(ctx, organizer, 0, OrganizationInput{Name: "", Kind: "club", Website: "javascript:alert(1)"})
		wantField(t, err, "name", "people.org.name_required")
		wantField(t, err, "kind", "people.org.kind_invalid")
		wantField(t, err, "website", "people.org.website_invalid")
		listed, err := h.s.SaveOrganization(ctx, organizer, 0, OrganizationInput{Name: "Casa Texas", Kind: OrgMember, Region: "Texas",
			Website: "casatexas.example.org", SummaryEs: "Defensa comunitaria", Listed: true})
		if err != nil {
			t.Fatal(err)
		}
		if listed.Region != "TX" || listed.Website != "https://casatexas.example.org" || listed.ListedConsentAt == nil {
			t.Errorf("listed = %+v", listed)
		}
		hidden, _ := h.s.SaveOrganization(ctx, organizer, 0, OrganizationInput{Name: "Quiet Partner", Kind: OrgPartner, Region: "TX"})
		abroad, _ := h.s.SaveOrganization(ctx, organizer, 0, OrganizationInput{Name: "Red Migrante", Kind: OrgInternational, Country: "México", Listed: true})
		dir, err := h.s.PublicDirectory(ctx, "tx")
		if err != nil || len(dir) != 1 || dir[0].Name != "Casa Texas" || dir[0].SummaryEs != "Defensa comunitaria" {
			t.Errorf("directory TX = %+v, %v", dir, err)
		}
		if dir, _ := h.s.PublicDirectory(ctx, "MX"); len(dir) != 1 || dir[0].ID != abroad.ID {
			t.Errorf("directory MX = %+v", dir)
		}
		if dir, _ := h.s.PublicDirectory(ctx, ""); len(dir) != 2 {
			t.Errorf("whole directory = %+v; the unlisted partner must not show", dir)
		}
		if regions, _ := h.s.DirectoryRegions(ctx); len(regions) != 1 || regions[0] != "TX" {
			t.Errorf("regions = %v", regions)
		}
		// Withdrawing consent clears its time and the listing.
		in := OrganizationInput{Name: "Casa Texas", Kind: OrgMember, Region: "TX"}
		o, err := h.s.SaveOrganization(ctx, organizer, listed.ID, in)
		if err != nil || o.Listed || o.ListedConsentAt != nil {
			t.Errorf("unlisted = %+v, %v", o, err)
		}
		p := h.mustCreate(t, PersonInput{GivenName: "Lupe", FamilyName: "Soto"})
		if err := h.s.Affiliate(ctx, organizer, p.ID, hidden.ID, "Director", true); err != nil {
			t.Fatal(err)
		}
		wantCode(t, h.s.Affiliate(ctx, organizer, p.ID, 999, "x", false), errs.CodeNotFound)
		people, err := h.s.OrganizationPeople(ctx, organizer, hidden.ID)
		if err != nil || len(people) != 1 || people[0].PersonName != "Lupe Soto" || !people[0].Contact {
			t.Errorf("organization people = %+v, %v", people, err)
		}
		page, _ := h.s.Organizations(ctx, organizer, OrgQuery{Search: "qui"})
		if len(page.Organizations) != 1 || page.Organizations[0].ID != hidden.ID {
			t.Errorf("search organizations = %+v", page)
		}
		if n, _ := h.s.Count(ctx, organizer, Filter{OrganizationIDs: []int64{hidden.ID}}); n != 1 {
			t.Errorf("people of the organization = %d", n)
		}
		wantCode(t, h.s.Unaffiliate(ctx, organizer, p.ID, hidden.ID), "")
		wantCode(t, h.s.Unaffiliate(ctx, organizer, p.ID, hidden.ID), errs.CodeNotFound)
		if err := h.s.DeleteOrganization(ctx, organizer, hidden.ID); err != nil {
			t.Fatal(err)
		}
		_, err = h.s.Organization(ctx, organizer, hidden.ID)
		wantCode(t, err, errs.CodeNotFound)
	})
}

func TestCustomFields(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		bad := []struct {
			def        FieldDef
			field, key string
		}{
			{FieldDef{Key: "Bad Key", LabelEn: "x", LabelEs: "x", Kind: FieldText}, "key", "people.custom.key_invalid"},
			{FieldDef{Key: "immigration_status", LabelEn: "Status", LabelEs: "Estatus", Kind: FieldText}, "key", "people.custom.forbidden"},
			{FieldDef{Key: "papers", LabelEn: "Has a green card", LabelEs: "Tiene papeles", Kind: FieldChoice}, "key", "people.custom.forbidden"},
			{FieldDef{Key: "a_number", LabelEn: "A-Number", LabelEs: "Número A", Kind: FieldText}, "key", "people.custom.forbidden"},
			{FieldDef{Key: "size", LabelEn: "Size", LabelEs: "Talla", Kind: FieldChoice}, "choices", "people.custom.choices_invalid"},
			{FieldDef{Key: "situation", LabelEn: "Situation", LabelEs: "Situación", Kind: FieldChoice,
				Choices: []Choice{{Value: "u", LabelEn: "Undocumented", LabelEs: "Indocumentado"}}}, "key", "people.custom.forbidden"},
			{FieldDef{Key: "size", LabelEn: "Size", LabelEs: "Talla", Kind: "color"}, "kind", "people.custom.kind_invalid"},
		}
		for _, b := range bad {
			_, err := h.s.DefineField(ctx, admin, b.def)
			wantField(t, err, b.field, b.key)
		}
		_, err := h.s.DefineField(ctx, organizer, FieldDef{Key: "skills", LabelEn: "Skills", LabelEs: "Habilidades", Kind: FieldText})
		wantCode(t, err, errs.CodeForbidden)
		for _, f := range []FieldDef{
			{Key: "skills", LabelEn: "Skills", LabelEs: "Habilidades", Kind: FieldText},
			{Key: "hours", LabelEn: "Hours a week", LabelEs: "Horas por semana", Kind: FieldNumber},
			{Key: "trained_on", LabelEn: "Trained on", LabelEs: "Capacitación", Kind: FieldDate},
		} {
			if _, err := h.s.DefineField(ctx, admin, f); err != nil {
				t.Fatal(err)
			}
		}
		_, err = h.s.DefineField(ctx, admin, FieldDef{Key: "hours", LabelEn: "Hours", LabelEs: "Horas", Kind: FieldText})
		wantField(t, err, "kind", "people.custom.kind_fixed")
		p := h.mustCreate(t, PersonInput{GivenName: "Tere", Fields: map[string]string{"skills": "  first aid ", "hours": "1,000.50", "trained_on": "3/9/2026"}})
		if p.Fields["skills"] != "first aid" || p.Fields["hours"] != "1000.5" || p.Fields["trained_on"] != "2026-03-09" {
			t.Errorf("fields = %v", p.Fields)
		}
		_, err = h.s.Create(ctx, organizer, PersonInput{GivenName: "X", Fields: map[string]string{"hours": "many", "trained_on": "yesterday"}})
		wantField(t, err, "fields.hours", "people.custom.value_invalid.number")
		wantField(t, err, "fields.trained_on", "people.custom.value_invalid.date")
		u, err := h.s.Update(ctx, organizer, p.ID, PersonInput{GivenName: "Tere", Fields: map[string]string{"hours": ""}})
		if err != nil || u.Fields["hours"] != "" || u.Fields["skills"] != "first aid" {
			t.Errorf("after clearing hours = %v, %v", u.Fields, err)
		}
		if defs, _ := h.s.Fields(ctx, caseworker); len(defs) != 3 {
			t.Errorf("fields = %v", defs)
		}
		if err := h.s.DeleteField(ctx, admin, "skills"); err != nil {
			t.Fatal(err)
		}
		u, _ = h.s.Get(ctx, organizer, p.ID)
		if _, ok := u.Fields["skills"]; ok {
			t.Error("values of a deleted field remain")
		}
	})
}
