package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/people"
)

// Every CRM page answers an organizer with its translated title in both languages; the
// dashboard and the navigation lead there; a role that may only read people sees the list
// without the links to change anything, and is refused the pages that change people.
func TestStaffPeoplePagesRender(t *testing.T) {
	a := openApp(t)
	p := crmAdd(t, a, people.PersonInput{GivenName: "Rosa", FamilyName: "Parks", Emails: []string{"rosa@example.org"}})
	org, err := a.People.SaveOrganization(context.Background(), crmSystem, 0, people.OrganizationInput{Name: "Casa Esperanza", Kind: people.OrgMember})
	if err != nil {
		t.Fatal(err)
	}
	organizer := adminAs(t, a, auth.RoleOrganizer)
	pages := []struct{ path, title string }{
		{"/people", "crm.people.title"},
		{"/people/new", "crm.person.new_title"},
		{fmt.Sprintf("/people/%d", p.ID), "crm.consent.title"},
		{fmt.Sprintf("/people/%d/edit", p.ID), "crm.person.edit_title"},
		{"/people/duplicates", "crm.duplicates.title"},
		{"/segments", "crm.segments.title"},
		{"/people/export", "crm.export.title"},
		{"/imports", "crm.imports.title"},
		{"/organizations", "crm.orgs.title"},
		{"/organizations/new", "crm.orgs.new_title"},
		{fmt.Sprintf("/organizations/%d", org.ID), "crm.orgs.people"},
	}
	for _, lang := range []string{"en", "es"} {
		organizer.lang = lang
		for _, pg := range pages {
			organizer.get(pg.path).expect(t, lang+" "+pg.path, http.StatusOK, organizer.tr(pg.title), `<html lang="`+lang+`"`,
				organizer.tr("crm.nav.label"))
		}
	}
	organizer.lang = "en"
	organizer.get("/dashboard").expect(t, "organizer's dashboard", http.StatusOK, `href="/people"`, organizer.tr("crm.people.card"))
	organizer.get("/admin/tiers").expect(t, "organizer at the tiers", http.StatusForbidden)
	organizer.get("/people/9999").expect(t, "unknown person", http.StatusNotFound, organizer.tr("people.person.not_found"))
	organizer.get("/people/abc").expect(t, "malformed id", http.StatusNotFound)

	dispatcher := adminAs(t, a, auth.RoleDispatcher)
	list := dispatcher.get("/people")
	list.expect(t, "dispatcher's list", http.StatusOK, "Rosa Parks", `href="/people"`)
	list.lacks(t, "dispatcher's list", `href="/people/new"`, `href="/imports"`, `href="/people/export"`)
	dispatcher.get(fmt.Sprintf("/people/%d", p.ID)).lacks(t, "dispatcher's person page", `/delete"`, `action="/people/1/consent"`)
	dispatcher.get("/people/new").expect(t, "dispatcher adding", http.StatusForbidden)
	dispatcher.get("/people/export").expect(t, "dispatcher exporting", http.StatusForbidden)

	member := adminAs(t, a, auth.RoleMember)
	member.get("/dashboard").lacks(t, "member's dashboard", `href="/people"`)
	member.get("/people").expect(t, "member at the list", http.StatusForbidden)
}

// The search box finds people by the first letters of their names, by e-mail and by
// phone; filters and "tag:" narrow the list; the count says how many were found.
func TestStaffPeopleSearch(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		crmAdd(t, a, people.PersonInput{GivenName: "María", FamilyName: "García", Emails: []string{"maria@example.org"},
			Tags: []string{"volunteer"}, Language: "es", Address: people.Address{State: "TX"}})
		mario := crmAdd(t, a, people.PersonInput{GivenName: "Mario", FamilyName: "Rossi", Emails: []string{"mario@example.org"}, Language: "en"})
		org, err := a.People.SaveOrganization(context.Background(), crmSystem, 0, people.OrganizationInput{Name: "Casa Marianella", Kind: people.OrgMember})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.People.Affiliate(context.Background(), crmSystem, mario.ID, org.ID, "Volunteer", false); err != nil {
			t.Fatal(err)
		}
		crmAdd(t, a, people.PersonInput{GivenName: "José", FamilyName: "Pérez", Phones: []string{"+1 512 555 0101"},
			Tags: []string{"volunteer"}, Language: "es"})
		g := adminAs(t, a, auth.RoleOrganizer)

		cases := []struct {
			name, query string
			count       int
			want, not   []string
		}{
			{"name prefix", "q=mar", 2, []string{"María García", "Mario Rossi"}, []string{"José Pérez"}},
			{"two words", "q=mar+gar", 1, []string{"María García"}, []string{"Mario Rossi"}},
			{"accents ignored", "q=jose", 1, []string{"José Pérez"}, []string{"María García"}},
			{"e-mail", "q=maria%40example.org", 1, []string{"María García", "maria@example.org"}, []string{"Mario Rossi"}},
			{"phone", "q=512-555-0101", 1, []string{"José Pérez", "+15125550101"}, []string{"María García"}},
			{"tag in the box", "q=tag%3Avolunteer", 2, []string{"María García", "José Pérez"}, []string{"Mario Rossi"}},
			{"organization in the box", "q=org%3Acasa", 1, []string{"Mario Rossi"}, []string{"María García"}},
			{"unknown organization", "q=org%3Azzz", 0, nil, []string{"Mario Rossi"}},
			{"organization filter", fmt.Sprintf("org=%d", org.ID), 1, []string{"Mario Rossi"}, []string{"José Pérez"}},
			{"tag filter and name", "q=mar&tags=volunteer", 1, []string{"María García"}, []string{"Mario Rossi"}},
			{"language filter", "language=es", 2, []string{"María García", "José Pérez"}, []string{"Mario Rossi"}},
			{"state filter", "state=tx", 1, []string{"María García"}, []string{"José Pérez"}},
			{"nobody", "q=zzz", 0, []string{g.tr("crm.people.none")}, []string{"María García"}},
		}
		for _, c := range cases {
			page := g.get("/people?" + c.query)
			want := append([]string{a.Catalog.Localizer("en").N("crm.people.count", c.count)}, c.want...)
			page.expect(t, c.name, http.StatusOK, want...)
			page.lacks(t, c.name, c.not...)
		}
		g.get("/people?q=maria%40example.org").expect(t, "e-mail search note", http.StatusOK, g.tr("crm.people.quick_note"))
		g.get("/people?language=fr").expect(t, "bad language filter", http.StatusUnprocessableEntity,
			g.tr("people.language.invalid"), `aria-describedby="f-language-error"`)
		g.get("/people?after=garbage").expect(t, "tampered cursor", http.StatusUnprocessableEntity, g.tr("people.cursor.invalid"))
		g.lang = "es"
		g.get("/people?q=mar").expect(t, "Spanish count", http.StatusOK, "2 personas")
	})
}

// The list goes page by page (50 a page) with links forward and back that keep the
// filter and the sort order.
func TestStaffPeoplePaging(t *testing.T) {
	a := openApp(t)
	for i := range 120 {
		crmAdd(t, a, people.PersonInput{GivenName: fmt.Sprintf("Person%03d", i), FamilyName: "Test", Tags: []string{"paged"}})
	}
	crmAdd(t, a, people.PersonInput{GivenName: "Outside", FamilyName: "Filter"})
	g := adminAs(t, a, auth.RoleOrganizer)
	first := g.get("/people?tags=paged")
	first.expect(t, "first page", http.StatusOK, "120 people", "Person000 Test", "Person049 Test", `rel="next"`)
	first.lacks(t, "first page", "Person050 Test", `rel="prev"`, "Outside Filter")
	next := crmLink(t, first, "next")
	second := g.get(next)
	second.expect(t, "second page", http.StatusOK, "Person050 Test", "Person099 Test", `rel="prev"`, `rel="next"`)
	second.lacks(t, "second page", "Person049 Test", "Person100 Test")
	third := g.get(crmLink(t, second, "next"))
	third.expect(t, "third page", http.StatusOK, "Person100 Test", "Person119 Test", `rel="prev"`)
	third.lacks(t, "third page", `rel="next"`)
	back := g.get(crmLink(t, third, "prev"))
	back.expect(t, "back to the second page", http.StatusOK, "Person050 Test", "Person099 Test")
	again := g.get(crmLink(t, back, "prev"))
	again.expect(t, "back to the first page", http.StatusOK, "Person000 Test")
	again.lacks(t, "back to the first page", `rel="prev"`)

	newest := g.get("/people?tags=paged&sort=-created")
	if i, j := strings.Index(newest.Body, "Person119 Test"), strings.Index(newest.Body, "Person118 Test"); i < 0 || j < 0 || i > j {
		t.Errorf("newest first does not list Person119 before Person118")
	}
}

// crmLink returns the address of the pager link with rel on a page.
func crmLink(t *testing.T, p adminPage, rel string) string {
	t.Helper()
	marker := `rel="` + rel + `"`
	i := strings.Index(p.Raw, marker)
	if i < 0 {
		t.Fatalf("no %s link", rel)
	}
	start := strings.LastIndex(p.Raw[:i], `href="`)
	href := p.Raw[start+len(`href="`):]
	href = href[:strings.IndexByte(href, '"')]
	return strings.ReplaceAll(href, "&amp;", "&")
}
