package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/people"
	"solidarity/internal/testkit"
)

// peopleBrowserSetUp fills a node with what the CRM pages show: a person with every kind
// of detail, an organization, a tier, a custom field, a duplicate pair, a saved segment,
// an import waiting for its mapping and one done with a rejected row. It returns an
// organizer's session token, the person's id and the two imports' ids.
func peopleBrowserSetUp(t *testing.T, a *app.App) (token string, person, waiting, done int64) {
	t.Helper()
	ctx := context.Background()
	sys := auth.System("e2e")
	const email, password = "olga@example.org", "quiet rivers carve deep canyons"
	if _, err := a.Auth.AdminCreateUser(ctx, email, "Olga Organizadora", auth.RoleOrganizer, password); err != nil {
		t.Fatal(err)
	}
	g, err := a.Auth.SignIn(ctx, email, password, auth.Client{Key: "e2e-organizer"})
	if err != nil || g.Stage != auth.StageFull {
		t.Fatalf("organizer sign-in: %+v %v", g, err)
	}
	if _, err := a.People.DefineField(ctx, sys, people.FieldDef{Key: "skills", LabelEn: "Skills", LabelEs: "Habilidades", Kind: people.FieldText}); err != nil {
		t.Fatal(err)
	}
	tier, err := a.People.SaveTier(ctx, sys, 0, people.Tier{NameEn: "Member", NameEs: "Miembro", Period: people.PeriodFree, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	org, err := a.People.SaveOrganization(ctx, sys, 0, people.OrganizationInput{Name: "Casa Esperanza", Kind: people.OrgMember, Region: "TX"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.People.Create(ctx, sys, people.PersonInput{GivenName: "María", FamilyName: "García", Emails: []string{"maria@example.org", "mg@example.net"},
		Phones: []string{"+1 512 555 0101"}, Address: people.Address{Street: "100 Congress Ave", City: "Austin", State: "TX", ZIP: "78701"},
		Language: "es", Tags: []string{"volunteer", "driver"}, Fields: map[string]string{"skills": "Interpreting"}, Notes: "Prefers calls after six."})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.People.Affiliate(ctx, sys, p.ID, org.ID, "Coordinator", true); err != nil {
		t.Fatal(err)
	}
	if _, err := a.People.SetMembership(ctx, sys, p.ID, people.MembershipInput{TierID: tier.ID, Status: people.MemberActive}); err != nil {
		t.Fatal(err)
	}
	if err := a.People.SetConsent(ctx, sys, p.ID, people.ChannelEmail, people.ConsentGranted); err != nil {
		t.Fatal(err)
	}
	if _, err := a.People.Create(ctx, sys, people.PersonInput{GivenName: "Maria", FamilyName: "Garcia", Emails: []string{"maria.g@example.org"},
		Address: people.Address{ZIP: "78701"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.People.SaveSegment(ctx, sys, 0, "Volunteers", people.Filter{Tags: []string{"volunteer"}}); err != nil {
		t.Fatal(err)
	}
	file := "Email,First Name,Zip\nana@example.org,Ana,78702\nnot-an-email,Ben,78703\n"
	pre, err := a.People.UploadImport(ctx, sys, "waiting.csv", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	ran, err := a.People.UploadImport(ctx, sys, "done.csv", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.People.StartImport(ctx, sys, ran.ID, people.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		imp, err := a.People.Import(ctx, sys, ran.ID)
		if err != nil {
			t.Fatal(err)
		}
		if imp.Status == people.ImportDone {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("import not done after 30 s: %+v", imp)
		}
	}
	return g.Token, p.ID, pre.ID, ran.ID
}

// An organizer goes through the CRM's pages (the people list and a search, a person, the
// form with its errors, duplicates, segments, imports waiting and done, organizations)
// in Spanish and English, with zero axe-core violations.
func TestPeoplePagesAccessible(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		token, person, waiting, done := peopleBrowserSetUp(t, a)
		page := adminBrowserSession(t, browser, baseURL, token, testkit.SessionOptions{})
		pages := []string{"/people", "/people?q=mar&sort=-created", fmt.Sprintf("/people/%d", person), "/people/new",
			"/people/duplicates", "/segments?tags=volunteer&count=1", "/people/export", "/imports",
			fmt.Sprintf("/imports/%d", waiting), fmt.Sprintf("/imports/%d", done), "/organizations"}
		for _, lang := range langs {
			t.Run(lang, func(t *testing.T) {
				for _, p := range pages {
					sep := "?"
					if strings.Contains(p, "?") {
						sep = "&"
					}
					open(t, page, baseURL+p+sep+"lang="+lang)
					if got := eval[string](t, page, "document.documentElement.lang"); got != lang {
						t.Errorf("%s: <html lang=%q>, want %q", p, got, lang)
					}
					testkit.Axe(t, page)
				}
				loc := a.Catalog.Localizer(lang)
				open(t, page, fmt.Sprintf("%s/imports/%d", baseURL, done))
				if got := text(t, page, "main h1"); !strings.HasSuffix(got, "done.csv") {
					t.Errorf("the import page's heading is %q", got)
				}
				if got := text(t, page, "#import-rejects + p + div td:last-child"); got != loc.T("people.email.invalid") {
					t.Errorf("the rejected row's reason reads %q", got)
				}

				// The new-person form sent back with a bad e-mail.
				open(t, page, baseURL+"/people/new")
				adminType(t, page, "#f-given_name", "Ana")
				adminType(t, page, "#f-emails", "ana at example")
				adminSubmit(t, page, `form[action="/people"] button[type="submit"]`, 422)
				if got := text(t, page, ".admin-alert li"); got != loc.T("people.email.invalid") {
					t.Errorf("the error summary says %q", got)
				}
				testkit.Axe(t, page)
			})
		}
	})
}
