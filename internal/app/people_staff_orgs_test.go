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

// Organizers add and change organizations (a bad website comes back on the form), and
// the list filters them by kind and by whether they are in the public directory.
func TestStaffOrganizations(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		g := adminAs(t, a, auth.RoleOrganizer)
		form := url.Values{"name": {"Casa Esperanza"}, "kind": {"member"}, "region": {"tx"}, "website": {"javascript:alert(1)"},
			"summary_en": {"Shelter and legal clinic."}, "summary_es": {"Albergue y clínica legal."}}
		g.post("/organizations", form).expect(t, "bad website", http.StatusUnprocessableEntity, g.tr("people.org.website_invalid"),
			`aria-describedby="f-website-error"`, `value="Casa Esperanza"`)
		g.post("/organizations", url.Values{"kind": {"member"}}).expect(t, "no name", http.StatusUnprocessableEntity, g.tr("people.org.name_required"))
		form.Set("website", "casa.example.org")
		created := g.post("/organizations", form)
		id := crmIDFrom(t, created.Location, "/organizations/")
		page := g.follow(created.Location)
		page.expect(t, "new organization", http.StatusOK, g.tr("crm.orgs.flash.created"), "Casa Esperanza", g.tr("people.org.kind.member"),
			`href="https://casa.example.org"`, "Albergue y clínica legal.", g.tr("crm.orgs.no_people"))

		form.Set("listed", "yes")
		form.Set("kind", "partner")
		page = g.postTo(fmt.Sprintf("/organizations/%d", id), form, fmt.Sprintf("/organizations/%d", id))
		page.expect(t, "listed", http.StatusOK, g.tr("crm.orgs.flash.saved"), g.tr("people.org.kind.partner"), g.tr("crm.org.consent_at"))
		if _, err := a.People.SaveOrganization(context.Background(), crmSystem, 0, people.OrganizationInput{Name: "Fondo Solidario", Kind: people.OrgFunder}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			query      string
			want, lack string
		}{
			{"kind=partner", "Casa Esperanza", "Fondo Solidario"},
			{"kind=funder", "Fondo Solidario", "Casa Esperanza"},
			{"listed=yes", "Casa Esperanza", "Fondo Solidario"},
			{"listed=no", "Fondo Solidario", "Casa Esperanza"},
			{"q=fon", "Fondo Solidario", "Casa Esperanza"},
		} {
			list := g.get("/organizations?" + c.query)
			list.expect(t, c.query, http.StatusOK, c.want)
			list.lacks(t, c.query, c.lack)
		}
		g.get("/organizations/999").expect(t, "unknown organization", http.StatusNotFound, g.tr("people.org.not_found"))
		adminAs(t, a, auth.RoleDispatcher).get(fmt.Sprintf("/organizations/%d", id)).lacks(t, "reader's organization page", g.tr("crm.orgs.edit"))
	})
}

// Administrators manage membership tiers and custom fields (settings.manage); a field
// for immigration status is refused; deleting a field asks first.
func TestStaffTiersAndFields(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		admin := adminAs(t, a, auth.RoleAdministrator)
		admin.get("/admin").expect(t, "administration index", http.StatusOK, `href="/admin/tiers"`, `href="/admin/fields"`)
		tier := url.Values{"name_en": {"Sustainer"}, "name_es": {"Sostenedora"}, "amount": {"ten"}, "currency": {"usd"}, "period": {"monthly"}, "active": {"yes"}}
		admin.post("/admin/tiers", tier).expect(t, "unreadable amount", http.StatusUnprocessableEntity, admin.tr("crm.tier.amount_format"), `value="ten"`)
		tier.Set("amount", "0")
		admin.post("/admin/tiers", tier).expect(t, "no dues on a paid tier", http.StatusUnprocessableEntity, admin.tr("people.tier.amount_invalid"))
		tier.Set("amount", "12.5")
		page := admin.postTo("/admin/tiers", tier, "/admin/tiers")
		page.expect(t, "tier added", http.StatusOK, admin.tr("crm.tiers.flash.saved"), "Sustainer", "12.50 USD", admin.tr("people.period.monthly"))
		tiers, err := a.People.Tiers(context.Background(), false)
		if err != nil || len(tiers) != 1 || tiers[0].AmountCents != 1250 {
			t.Fatalf("tiers %+v, %v", tiers, err)
		}
		path := fmt.Sprintf("/admin/tiers/%d", tiers[0].ID)
		admin.get(path).expect(t, "tier edit form", http.StatusOK, `value="12.50"`, `value="Sostenedora"`)
		tier.Set("period", "free")
		tier.Set("amount", "")
		tier.Del("active")
		admin.postTo(path, tier, "/admin/tiers").expect(t, "tier changed", http.StatusOK, "0.00 USD", admin.tr("people.period.free"))
		admin.get("/admin/tiers/999").expect(t, "unknown tier", http.StatusNotFound, admin.tr("people.tier.not_found"))
		if e := adminAudited(t, a, "people.tier_save"); len(e) != 2 {
			t.Errorf("tier saves audited %d times", len(e))
		}

		field := url.Values{"key": {"immigration_status"}, "label_en": {"Status"}, "label_es": {"Estatus"}, "kind": {"text"}}
		admin.post("/admin/fields", field).expect(t, "forbidden field", http.StatusUnprocessableEntity, admin.tr("people.custom.forbidden"))
		field = url.Values{"key": {"shirt"}, "label_en": {"Shirt size"}, "label_es": {"Talla"}, "kind": {"choice"}, "choices": {""}}
		admin.post("/admin/fields", field).expect(t, "choice without choices", http.StatusUnprocessableEntity, admin.tr("people.custom.choices_invalid"))
		field.Set("choices", "s | Small | Chica\nm | Medium | Mediana\n")
		page = admin.postTo("/admin/fields", field, "/admin/fields")
		page.expect(t, "field added", http.StatusOK, admin.tr("crm.fields.flash.saved"), "shirt", "Shirt size", admin.tr("people.custom.kind.choice"))
		admin.get("/admin/fields/shirt").expect(t, "field edit form", http.StatusOK, "m | Medium | Mediana", `name="editing" value="yes"`)
		field.Set("editing", "yes")
		field.Set("label_en", "T-shirt size")
		admin.postTo("/admin/fields", field, "/admin/fields").expect(t, "field changed", http.StatusOK, "T-shirt size")
		admin.post("/admin/fields/shirt/delete", nil).expect(t, "delete confirmation", http.StatusOK, admin.tr("crm.fields.delete_heading"), "shirt")
		page = admin.postTo("/admin/fields/shirt/delete", url.Values{"confirm": {"yes"}}, "/admin/fields")
		page.expect(t, "field deleted", http.StatusOK, admin.tr("crm.fields.flash.deleted"), admin.tr("crm.fields.none"))
		admin.post("/admin/fields/shirt/delete", nil).expect(t, "deleting twice", http.StatusNotFound)

		organizer := adminAs(t, a, auth.RoleOrganizer)
		organizer.get("/admin/fields").expect(t, "organizer at the fields", http.StatusForbidden)
		organizer.post("/admin/tiers", tier).expect(t, "organizer adding a tier", http.StatusForbidden)
	})
}
