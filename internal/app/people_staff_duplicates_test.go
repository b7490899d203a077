package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/people"
)

// Likely duplicates are shown side by side; merging asks first, then keeps both e-mail
// addresses and both timelines on the person kept (audited); dismissing a pair stops it
// being offered.
func TestStaffDuplicatesMerge(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		keep := crmAdd(t, a, people.PersonInput{GivenName: "Juana", FamilyName: "Martínez", Emails: []string{"juana@example.org"},
			Address: people.Address{ZIP: "78701"}})
		lose := crmAdd(t, a, people.PersonInput{GivenName: "Juana", FamilyName: "Martinez", Emails: []string{"jm@example.net"},
			Phones: []string{"+1 512 555 0142"}, Address: people.Address{ZIP: "78701"}})
		if err := a.People.SetConsent(ctx, crmSystem, lose.ID, people.ChannelSMS, people.ConsentGranted); err != nil {
			t.Fatal(err)
		}
		x := crmAdd(t, a, people.PersonInput{GivenName: "Pedro", FamilyName: "Soto", Emails: []string{"pedro@example.org"}, Address: people.Address{ZIP: "10001"}})
		y := crmAdd(t, a, people.PersonInput{GivenName: "Pedro", FamilyName: "Soto", Emails: []string{"psoto@example.org"}, Address: people.Address{ZIP: "10001"}})
		g := adminAs(t, a, auth.RoleOrganizer)

		list := g.get("/people/duplicates")
		list.expect(t, "duplicates", http.StatusOK, g.tr("people.duplicate.same_name_zip"), "juana@example.org", "jm@example.net",
			"pedro@example.org", "psoto@example.org", g.tr("crm.duplicates.merge"), g.tr("crm.duplicates.dismiss"))

		pair := url.Values{"a": {fmt.Sprint(keep.ID)}, "b": {fmt.Sprint(lose.ID)}, "keep": {fmt.Sprint(keep.ID)}}
		confirm := g.post("/people/duplicates/merge", pair)
		confirm.expect(t, "merge confirmation", http.StatusOK, g.tr("crm.duplicates.merge_heading"), g.tr("crm.duplicates.kept"),
			"Juana Martínez</a> juana@example.org", "Juana Martinez</a> jm@example.net +15125550142", `name="confirm" value="yes"`)
		if n := crmCount(t, a); n != 4 {
			t.Fatal("the confirmation step merged")
		}
		pair.Set("confirm", "yes")
		page := g.postTo("/people/duplicates/merge", pair, fmt.Sprintf("/people/%d", keep.ID))
		page.expect(t, "merged person", http.StatusOK, g.tr("crm.duplicates.flash.merged"), "juana@example.org", "jm@example.net",
			"+15125550142", g.tr("people.timeline.merged"), g.tr("people.timeline.consent_granted"))
		g.get(fmt.Sprintf("/people/%d", lose.ID)).expect(t, "merged-away person", http.StatusNotFound)
		if e := adminAudited(t, a, "people.merge")[0]; e.Object != fmt.Sprintf("person:%d", keep.ID) {
			t.Errorf("merge audited as %+v", e)
		}
		var events int
		if err := a.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM timeline WHERE person_id = ?", keep.ID).Scan(&events); err != nil {
			t.Fatal(err)
		}
		if events < 4 { // two "added", the consent, the merge
			t.Errorf("the kept person has %d timeline entries, want both timelines and the merge", events)
		}

		g.post("/people/duplicates/merge", url.Values{"a": {"1"}, "b": {"2"}, "keep": {"3"}}).
			expect(t, "keeping neither", http.StatusUnprocessableEntity, g.tr("crm.duplicates.choose"))

		page = g.postTo("/people/duplicates/dismiss", url.Values{"a": {fmt.Sprint(x.ID)}, "b": {fmt.Sprint(y.ID)}}, "/people/duplicates")
		page.expect(t, "after dismissing", http.StatusOK, g.tr("crm.duplicates.flash.dismissed"), g.tr("crm.duplicates.none"))
		page.lacks(t, "after dismissing", "pedro@example.org")
	})
}
