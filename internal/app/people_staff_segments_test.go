package app_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/people"
)

// The segment builder counts the people of a filter (the same number the service counts
// and the list shows), saves it by name, refuses a taken name and a bad date, lists the
// saved segments with their counts, and deletes one after asking.
func TestStaffSegments(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		for i, tags := range [][]string{{"volunteer"}, {"volunteer", "driver"}, {"driver"}, nil} {
			lang := "en"
			if i%2 == 0 {
				lang = "es"
			}
			crmAdd(t, a, people.PersonInput{GivenName: fmt.Sprintf("Person%d", i), Tags: tags, Language: lang,
				Emails: []string{fmt.Sprintf("p%d@example.org", i)}})
		}
		if err := a.People.SetConsent(context.Background(), crmSystem, 1, people.ChannelEmail, people.ConsentGranted); err != nil {
			t.Fatal(err)
		}
		g := adminAs(t, a, auth.RoleOrganizer)
		cases := []struct {
			name  string
			query url.Values
		}{
			{"everyone", url.Values{}},
			{"one tag", url.Values{"tags": {"volunteer"}}},
			{"every tag", url.Values{"tags": {"volunteer, driver"}, "all_tags": {"yes"}}},
			{"language and tag", url.Values{"tags": {"driver"}, "language": {"es"}}},
			{"excluded tag", url.Values{"exclude_tags": {"driver"}}},
			{"e-mail consent", url.Values{"consent": {"email:granted"}}},
			{"no e-mail consent asked", url.Values{"consent": {"email:none"}}},
			{"added today", url.Values{"created_from": {a.DB.Now().Format("2006-01-02")}}},
		}
		for _, c := range cases {
			form := c.query
			want, err := a.People.Count(context.Background(), crmSystem, crmFilterOf(form))
			if err != nil {
				t.Fatal(err)
			}
			form.Set("count", "1")
			g.get("/segments?"+form.Encode()).expect(t, c.name, http.StatusOK, a.Catalog.Localizer("en").N("crm.segments.count", want))
			form.Del("count")
			g.get("/people?"+form.Encode()).expect(t, c.name+" in the list", http.StatusOK, a.Catalog.Localizer("en").N("crm.people.count", want))
		}
		if n := crmTagCount(t, a, "volunteer"); n != 2 {
			t.Fatalf("fixture: %d volunteers", n)
		}

		g.get("/segments?created_from=yesterday").expect(t, "bad date", http.StatusUnprocessableEntity, g.tr("people.segment.date_invalid"),
			`aria-describedby="f-created_from-error"`)
		g.post("/segments", url.Values{"tags": {"volunteer"}}).expect(t, "no name", http.StatusUnprocessableEntity, g.tr("people.segment.name_invalid"))
		saved := g.post("/segments", url.Values{"tags": {"volunteer"}, "name": {"Volunteers"}})
		id := crmIDFrom(t, saved.Location, "/segments?edit=")
		page := g.follow(saved.Location)
		page.expect(t, "saved segment", http.StatusOK, g.tr("crm.segments.flash.saved"), g.tr("crm.segments.change"), `value="Volunteers"`,
			`value="volunteer"`, "2 people match.", "<td>2</td>")
		g.post("/segments", url.Values{"tags": {"driver"}, "name": {"volunteers"}}).expect(t, "taken name", http.StatusConflict,
			g.tr("people.segment.name_taken"), `aria-describedby="f-name-error"`)

		confirm := g.post(fmt.Sprintf("/segments/%d/delete", id), nil)
		confirm.expect(t, "delete confirmation", http.StatusOK, g.tr("crm.segments.delete_heading"), "Volunteers")
		page = g.postTo(fmt.Sprintf("/segments/%d/delete", id), url.Values{"confirm": {"yes"}}, "/segments")
		page.expect(t, "after deleting", http.StatusOK, g.tr("crm.segments.flash.deleted"), g.tr("crm.segments.none"))

		dispatcher := adminAs(t, a, auth.RoleDispatcher)
		dispatcher.get("/segments?tags=volunteer").expect(t, "reader counts", http.StatusOK, "2 people match.")
		dispatcher.get("/segments").lacks(t, "reader's builder", g.tr("crm.segments.save"))
		dispatcher.post("/segments", url.Values{"name": {"x"}}).expect(t, "reader saves", http.StatusForbidden)
	})
}

// crmFilterOf is the filter the service reads from the same values the builder sends.
func crmFilterOf(v url.Values) people.Filter {
	f := people.Filter{AllTags: v.Get("all_tags") == "yes", CreatedFrom: v.Get("created_from")}
	for _, t := range []struct {
		key string
		dst *[]string
	}{{"tags", &f.Tags}, {"exclude_tags", &f.ExcludeTags}, {"language", &f.Languages}} {
		for _, s := range v[t.key] {
			for _, part := range strings.Split(s, ",") {
				*t.dst = append(*t.dst, strings.TrimSpace(part))
			}
		}
	}
	for _, c := range v["consent"] {
		ch, st, _ := strings.Cut(c, ":")
		f.Consent = append(f.Consent, people.ConsentRule{Channel: people.Channel(ch), Statuses: []people.ConsentStatus{people.ConsentStatus(st)}})
	}
	return f
}

// crmTagCount counts the people with a tag, straight from the database.
func crmTagCount(t *testing.T, a *app.App, tag string) int {
	t.Helper()
	var n int
	q := "SELECT COUNT(*) FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE t.name = ?"
	if err := a.DB.QueryRowContext(context.Background(), q, tag).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The export downloads a segment or a filter as a CSV attachment that is never cached,
// with formula cells neutralized, and records who exported how many people.
func TestStaffExport(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		crmAdd(t, a, people.PersonInput{GivenName: "=cmd()", FamilyName: "+SUM(A1)", Emails: []string{"formula@example.org"}, Tags: []string{"press"}})
		crmAdd(t, a, people.PersonInput{GivenName: "Beatriz", FamilyName: "Núñez", Emails: []string{"bea@example.org"}, Tags: []string{"press"}})
		crmAdd(t, a, people.PersonInput{GivenName: "Other", Emails: []string{"other@example.org"}})
		sg, err := a.People.SaveSegment(context.Background(), crmSystem, 0, "Press", people.Filter{Tags: []string{"press"}})
		if err != nil {
			t.Fatal(err)
		}
		g := adminAs(t, a, auth.RoleOrganizer)
		g.get("/people/export?tags=press").expect(t, "export page", http.StatusOK, g.tr("crm.export.audit_note"), "2 people match.",
			fmt.Sprintf(`<option value="%d">Press</option>`, sg.ID))

		for _, c := range []struct {
			name string
			form url.Values
		}{
			{"by filter", url.Values{"tags": {"press"}}},
			{"by segment", url.Values{"segment": {fmt.Sprint(sg.ID)}}},
		} {
			resp := g.post("/people/export", c.form)
			if resp.Status != http.StatusOK {
				t.Fatalf("%s: status %d\n%s", c.name, resp.Status, adminExcerpt(resp.Body))
			}
			if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="people-`) || !strings.HasSuffix(cd, `.csv"`) {
				t.Errorf("%s: Content-Disposition %q", c.name, cd)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("%s: Cache-Control %q", c.name, cc)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", c.name, ct)
			}
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(resp.Raw, "\uFEFF"))).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if len(rows) != 3 || rows[0][1] != "given_name" {
				t.Fatalf("%s: rows %q", c.name, rows)
			}
			var cells []string
			for _, row := range rows[1:] {
				cells = append(cells, row...)
			}
			for _, cell := range cells {
				if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
					t.Errorf("%s: cell %q would run as a formula", c.name, cell)
				}
			}
			if !strings.Contains(resp.Raw, "'=cmd()") || !strings.Contains(resp.Raw, "'+SUM(A1)") || strings.Contains(resp.Raw, "other@example.org") {
				t.Errorf("%s: export body %q", c.name, resp.Raw)
			}
		}
		entries := adminAudited(t, a, "people.export")
		if len(entries) != 2 || entries[0].Object != fmt.Sprintf("segment:%d", sg.ID) || !strings.Contains(entries[0].Detail, `"count":2`) ||
			entries[1].Object != "people" || entries[0].ActorName != "Holder of Organizer" {
			t.Errorf("exports audited as %+v", entries)
		}

		g.post("/people/export", url.Values{"zip": {"not a zip!"}}).expect(t, "bad filter", http.StatusUnprocessableEntity,
			g.tr("people.zip.invalid"), g.tr("crm.export.title"))
		g.post("/people/export", url.Values{"segment": {"999"}}).expect(t, "unknown segment", http.StatusNotFound, g.tr("people.segment.not_found"))
	})
}
