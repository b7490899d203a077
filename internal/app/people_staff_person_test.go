package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/people"
)

// Adding a person: a bad e-mail comes back on the form (422, translated, next to its
// field, the values kept) and stores nothing; a good entry opens the new person; an entry
// whose e-mail someone already has updates that person and says so, with a link.
func TestStaffPersonCreate(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		g := adminAs(t, a, auth.RoleOrganizer)
		for _, lang := range []string{"en", "es"} {
			g.lang = lang
			bad := g.post("/people", url.Values{"given_name": {"Ana"}, "family_name": {"López"}, "emails": {"ana at example"}})
			bad.expect(t, lang+" bad e-mail", http.StatusUnprocessableEntity, g.tr("people.email.invalid"), g.tr("admin.form.errors"),
				`href="#f-emails"`, `aria-describedby="f-emails-hint f-emails-error"`, `value="López"`, "ana at example")
		}
		g.lang = "en"
		g.post("/people", url.Values{"emails": {"someone@example.org"}}).expect(t, "no name", http.StatusUnprocessableEntity, g.tr("people.name.required"))
		if n := crmCount(t, a); n != 0 {
			t.Fatalf("refused entries stored %d people", n)
		}

		created := g.post("/people", url.Values{"given_name": {"Ana"}, "family_name": {"López"}, "emails": {"Ana@Example.org"},
			"phones": {"512 555 0199"}, "zip": {"78701"}, "state": {"tx"}, "language": {"es"}, "tags": {"volunteer, driver"}})
		id := crmIDFrom(t, created.Location, "/people/")
		page := g.get(created.Location)
		page.expect(t, "new person", http.StatusOK, g.tr("crm.person.flash.created"), "Ana López", "ana@example.org", "+15125550199",
			g.tr("crm.person.primary"), "TX 78701", "volunteer", "driver", g.tr("people.timeline.created"), g.tr("crm.person.via.staff"))

		again := g.post("/people", url.Values{"given_name": {"Ana María"}, "family_name": {"López"}, "emails": {"ana@example.org"},
			"phones": {"+52 55 1234 5678"}})
		if again.Status != http.StatusSeeOther || again.Location != fmt.Sprintf("/people/new?existing=%d", id) {
			t.Fatalf("duplicate entry: %d to %q", again.Status, again.Location)
		}
		notice := g.get(again.Location)
		notice.expect(t, "duplicate notice", http.StatusOK, g.tr("crm.person.existing"), fmt.Sprintf(`href="/people/%d"`, id), "Ana María López")
		if n := crmCount(t, a); n != 1 {
			t.Errorf("a duplicate entry left %d people, want 1", n)
		}
		p, err := a.People.Get(context.Background(), crmSystem, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Phones) != 2 || p.GivenName != "Ana María" {
			t.Errorf("the existing person was not updated: %+v", p)
		}
	})
}

// Editing replaces the details; an e-mail that belongs to someone else is a conflict on
// that field (409), and a custom field's value is checked against its type.
func TestStaffPersonEdit(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		if _, err := a.People.DefineField(ctx, crmSystem, people.FieldDef{Key: "hours", LabelEn: "Hours a week", LabelEs: "Horas por semana", Kind: people.FieldNumber}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.People.DefineField(ctx, crmSystem, people.FieldDef{Key: "shirt", LabelEn: "Shirt size", LabelEs: "Talla", Kind: people.FieldChoice,
			Choices: []people.Choice{{Value: "m", LabelEn: "Medium", LabelEs: "Mediana"}, {Value: "l", LabelEn: "Large", LabelEs: "Grande"}}}); err != nil {
			t.Fatal(err)
		}
		p := crmAdd(t, a, people.PersonInput{GivenName: "Luis", Emails: []string{"luis@example.org"}})
		crmAdd(t, a, people.PersonInput{GivenName: "Other", Emails: []string{"other@example.org"}})
		g := adminAs(t, a, auth.RoleOrganizer)
		path := fmt.Sprintf("/people/%d/edit", p.ID)
		g.get(path).expect(t, "edit form", http.StatusOK, `value="Luis"`, "luis@example.org", "Hours a week", `<option value="l">Large</option>`)

		form := url.Values{"given_name": {"Luis"}, "family_name": {"Ortega"}, "emails": {"luis@example.org\nother@example.org"}}
		g.post(path, form).expect(t, "someone else's e-mail", http.StatusConflict, g.tr("people.email.taken"), `href="#f-emails"`)
		form.Set("emails", "luis@example.org\nluis.ortega@example.org")
		form.Set("fields.hours", "many")
		g.post(path, form).expect(t, "bad number", http.StatusUnprocessableEntity, g.tr("people.custom.value_invalid.number"),
			`href="#f-fields.hours"`, `value="many"`)
		form.Set("fields.hours", "12.50")
		form.Set("fields.shirt", "l")
		page := g.postDone(path, form, fmt.Sprintf("/people/%d", p.ID))
		page.expect(t, "after editing", http.StatusOK, g.tr("crm.person.flash.saved"), "Luis Ortega", "luis.ortega@example.org",
			"Hours a week", "12.5", "Large")
		g.lang = "es"
		g.get(fmt.Sprintf("/people/%d", p.ID)).expect(t, "Spanish labels of custom fields", http.StatusOK, "Horas por semana", "Grande")
	})
}

// On a person's page, staff add and remove an organization, set a membership, record
// consent (staff method, with its time), page through the timeline, and delete the
// person after a confirmation (audited).
func TestStaffPersonActions(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		p := crmAdd(t, a, people.PersonInput{GivenName: "Carmen", FamilyName: "Ruiz", Emails: []string{"carmen@example.org"}})
		org, err := a.People.SaveOrganization(ctx, crmSystem, 0, people.OrganizationInput{Name: "Casa Esperanza", Kind: people.OrgMember})
		if err != nil {
			t.Fatal(err)
		}
		tier, err := a.People.SaveTier(ctx, crmSystem, 0, people.Tier{NameEn: "Sustainer", NameEs: "Sostenedora", AmountCents: 1000, Period: people.PeriodMonthly, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		g := adminAs(t, a, auth.RoleOrganizer)
		base := fmt.Sprintf("/people/%d", p.ID)

		g.post(base+"/affiliations", url.Values{"role": {"Chair"}}).expect(t, "no organization chosen", http.StatusUnprocessableEntity,
			g.tr("crm.affiliation.org_required"), `value="Chair"`)
		page := g.postTo(base+"/affiliations", url.Values{"org": {fmt.Sprint(org.ID)}, "role": {"Chair"}, "contact": {"yes"}}, base+"#person-orgs")
		page.expect(t, "affiliated", http.StatusOK, g.tr("crm.affiliation.flash.saved"), "Casa Esperanza", "Chair")
		g.get(fmt.Sprintf("/organizations/%d", org.ID)).expect(t, "the organization's people", http.StatusOK, "Carmen Ruiz", "Chair")

		g.post(base+"/membership", url.Values{"tier": {fmt.Sprint(tier.ID)}, "status": {"active"}, "started": {"2026-02-30"}}).
			expect(t, "bad date", http.StatusUnprocessableEntity, g.tr("crm.date_invalid"), `aria-describedby="f-membership_started-error"`)
		g.post(base+"/membership", url.Values{"tier": {fmt.Sprint(tier.ID)}, "status": {"active"}, "started": {"2026-03-01"}, "expires": {"2026-01-01"}}).
			expect(t, "expiry before start", http.StatusUnprocessableEntity, g.tr("people.membership.dates_invalid"))
		page = g.postTo(base+"/membership", url.Values{"tier": {fmt.Sprint(tier.ID)}, "status": {"active"}, "started": {"2026-03-01"}}, base+"#person-membership")
		page.expect(t, "membership set", http.StatusOK, g.tr("crm.membership.flash.saved"), "Sustainer", g.tr("people.membership.status.active"),
			"2026-03-01", "2026-04-01", g.tr("people.timeline.membership_active"))

		page = g.postTo(base+"/consent", url.Values{"channel": {"sms"}, "status": {"granted"}}, base+"#person-consent")
		page.expect(t, "consent recorded", http.StatusOK, g.tr("crm.consent.flash.saved"), g.tr("people.consent.method.staff"),
			g.tr("people.consent.status.granted"), g.tr("people.timeline.consent_granted")+" ("+g.tr("people.channel.sms")+")")
		g.post(base+"/consent", url.Values{"channel": {"fax"}, "status": {"granted"}}).expect(t, "unknown channel", http.StatusUnprocessableEntity,
			g.tr("people.consent.channel_invalid"))

		page = g.postTo(fmt.Sprintf("%s/affiliations/%d/remove", base, org.ID), nil, base+"#person-orgs")
		page.expect(t, "unaffiliated", http.StatusOK, g.tr("crm.affiliation.flash.removed"), g.tr("crm.affiliation.none"))

		// Thirty more entries: the timeline pages.
		err = a.DB.InTx(ctx, func(tx *db.Tx) error {
			for i := range 30 {
				if err := a.People.AddEvent(ctx, tx, p.ID, people.NewEvent{Kind: "test.note", SummaryKey: "people.timeline.self_update",
					Source: "test", At: tx.Now.AddDate(0, 0, i+1)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		first := g.get(base)
		first.expect(t, "timeline first page", http.StatusOK, g.tr("crm.timeline.older"))
		first.lacks(t, "timeline first page", g.tr("people.timeline.created"))
		older := g.follow(crmHref(t, first, g.tr("crm.timeline.older")))
		older.expect(t, "timeline older page", http.StatusOK, g.tr("people.timeline.created"), g.tr("crm.timeline.newest"))

		confirm := g.post(base+"/delete", nil)
		confirm.expect(t, "delete confirmation", http.StatusOK, g.tr("crm.person.delete_heading"), "Carmen Ruiz", `name="confirm" value="yes"`)
		if n := crmCount(t, a); n != 1 {
			t.Fatal("the confirmation step deleted the person")
		}
		done := g.postTo(base+"/delete", url.Values{"confirm": {"yes"}}, "/people")
		done.expect(t, "after deleting", http.StatusOK, g.tr("crm.person.flash.deleted"))
		g.get(base).expect(t, "deleted person", http.StatusNotFound)
		if e := adminAudited(t, a, "people.delete")[0]; e.Object != fmt.Sprintf("person:%d", p.ID) {
			t.Errorf("deletion audited as %+v", e)
		}
	})
}

// crmHref returns the address of the link whose text is text.
func crmHref(t *testing.T, p adminPage, text string) string {
	t.Helper()
	i := strings.Index(p.Body, `>`+text+`</a>`)
	if i < 0 {
		t.Fatalf("no link %q", text)
	}
	start := strings.LastIndex(p.Body[:i], `href="`)
	href := p.Body[start+len(`href="`):]
	return href[:strings.IndexByte(href, '"')]
}
