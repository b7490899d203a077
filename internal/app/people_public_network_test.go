package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/people"
)

// pubOrgs creates listed organizations in Texas, California and Mexico, and one that did
// not agree to be listed.
func pubOrgs(t *testing.T, a *app.App) {
	t.Helper()
	for _, in := range []people.OrganizationInput{
		{Name: "Austin Sanctuary Network", Kind: people.OrgMember, Region: "TX", Website: "https://asn.example.org",
			SummaryEn: "Accompaniment in Central Texas.", SummaryEs: "Acompañamiento en el centro de Texas.", Listed: true},
		{Name: "Valley Legal Aid", Kind: people.OrgPartner, Region: "CA", SummaryEn: "Know-your-rights clinics.", Listed: true},
		{Name: "Casa del Migrante", Kind: people.OrgInternational, Country: "MX", SummaryEs: "Albergue en Tijuana.", Listed: true},
		{Name: "Quiet Donor Circle", Kind: people.OrgFunder, Region: "TX", SummaryEn: "Prefers not to be named.", Listed: false},
	} {
		if _, err := a.People.SaveOrganization(context.Background(), pubStaff, 0, in); err != nil {
			t.Fatal(err)
		}
	}
}

// The directory lists only organizations that agreed, by region, in the page's language,
// falling back to the summary that was written (marked with its language).
func TestNetworkDirectory(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		v := newVisitor(t, a, "198.51.100.50")
		must(t, "empty directory", v.get("/network"), http.StatusOK, en(a, "public.network.title"), en(a, "public.network.none"))

		pubOrgs(t, a)
		all := v.get("/network")
		must(t, "directory", all, http.StatusOK, "Austin Sanctuary Network", "Valley Legal Aid", "Casa del Migrante",
			"Accompaniment in Central Texas.", en(a, "people.org.kind.partner"), `href="https://asn.example.org"`,
			`<p lang="es">Albergue en Tijuana.</p>`, a.Catalog.Localizer("en").N("public.network.count", 3),
			`<option value="CA">CA</option>`, `<option value="TX">TX</option>`)
		mustNot(t, "directory", all, "Quiet Donor Circle", "Prefers not to be named.")
		if ca, tx, mx := strings.Index(all.Body, ">CA</h2>"), strings.Index(all.Body, ">TX</h2>"), strings.Index(all.Body, ">Mexico</h2>"); ca < 0 || tx < ca || mx < tx {
			t.Errorf("regions are not grouped in order CA, TX, then countries abroad: %d %d %d", ca, tx, mx)
		}

		texas := v.get("/network?region=TX&lang=es")
		must(t, "Texas in Spanish", texas, http.StatusOK, es(a, "public.network.title"), "Austin Sanctuary Network",
			"Acompañamiento en el centro de Texas.", es(a, "people.org.kind.member"), `<option value="TX" selected>`)
		mustNot(t, "Texas in Spanish", texas, "Valley Legal Aid", "Casa del Migrante", "Quiet Donor Circle")
		must(t, "Mexico in Spanish", v.get("/network?region=MX"), http.StatusOK, "Casa del Migrante", "México</h2>", "<p>Albergue en Tijuana.</p>")

		must(t, "a region with nobody", v.get("/network?region=ZZ"), http.StatusOK, es(a, "public.network.none"))
	})
}
