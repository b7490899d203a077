package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"solidarity/internal/auth"
	"solidarity/internal/response"
)

// A dispatcher alerts a confirmed report from the pages: the compose page starts from the
// report's ZIP code, the preview shows each language's text and how many will receive it,
// a text with the report's address is refused with the reason, and the status page shows
// the counts while the job sends. The all clear goes to the same people. Before the
// report is confirmed, no alert can be sent.
func TestAlertsComposeSendAndAllClear(t *testing.T) {
	ralEachApp(t, func(t *testing.T, n ralNode) {
		n.start(t)
		ralSubscribe(t, n, response.AlertSMS, "+12135550161", "en", "90001")
		ralSubscribe(t, n, response.AlertSMS, "+12135550162", "es", "90002")
		ralSubscribe(t, n, response.AlertEmail, "pedro@example.org", "es", "90002")
		ralSubscribe(t, n, response.AlertSMS, "+12135550163", "en", "90003")
		report := ralReport(t, n.App, "90001", "4821 Maple Grove, Los Angeles", false)
		g := adminAs(t, n.App, auth.RoleDispatcher)
		newPath := ralPath("/response/alerts/new?report=%d", report)

		g.get(newPath).expect(t, "compose before confirmation", http.StatusOK, g.tr("alerts.report.not_confirmed"))
		g.get(ralPath("/response/reports/%d", report)).expect(t, "report page before confirmation", http.StatusOK, g.tr("alerts.section.confirm_first"))
		form := url.Values{"report": {strconv.FormatInt(report, 10)}, "zips": {"90001, 90002"},
			"body_en": {"Verified: {{.Kind}} near {{.Area}} at {{.Time}}. Stay inside."},
			"body_es": {"Verificado: {{.Kind}} cerca de {{.Area}} a las {{.Time}}. Quédese adentro."}}
		g.post("/response/alerts", form).expect(t, "send before confirmation", http.StatusUnprocessableEntity, g.tr("alerts.report.not_confirmed"))

		for _, st := range []response.State{response.StateVerifying, response.StateConfirmed} {
			if err := n.Response.SetState(context.Background(), ralSystem, report, st, ""); err != nil {
				t.Fatal(err)
			}
		}
		page := g.get(newPath)
		page.expect(t, "compose", http.StatusOK, g.tr("alerts.compose.title"), `value="90001"`, g.tr("alerts.compose.address_rule"))
		page.lacks(t, "compose", "Maple")

		leak := url.Values{}
		for k, v := range form {
			leak[k] = v
		}
		leak.Set("body_en", "Agents at 4821 Maple Grove")
		g.post("/response/alerts/preview", leak).expect(t, "address in the text", http.StatusUnprocessableEntity, g.tr("alerts.body.report_address"))

		pv := g.post("/response/alerts/preview", form)
		pv.expect(t, "preview", http.StatusOK, "3 subscribers will receive this.", "Verified: agents at a home near 90001, 90002 at",
			"Verificado: agentes en un domicilio cerca de 90001, 90002", "Send to 3 subscribers")
		if len(ralTexts(n, "Verified")) != 0 {
			t.Fatal("the preview sent something")
		}

		sent := g.post("/response/alerts", form)
		if sent.Status != http.StatusSeeOther || !strings.HasPrefix(sent.Location, "/response/alerts/") {
			t.Fatalf("send: %d %q\n%s", sent.Status, sent.Location, adminExcerpt(sent.Body))
		}
		id, _ := strconv.ParseInt(strings.TrimPrefix(sent.Location, "/response/alerts/"), 10, 64)
		ralWaitDone(t, n.App, id)
		status := g.get(sent.Location)
		status.expect(t, "status page", http.StatusOK, "Finished: 3 of 3 sent.", g.tr("alerts.status_help.uncertain"), g.tr("alerts.show.send_all_clear"))
		if status.Header.Get("Refresh") != "" {
			t.Error("a finished alert's page still refreshes")
		}
		en, es := ralTexts(n, "Verified:"), ralTexts(n, "Verificado:")
		if len(en["+12135550161"]) != 1 || len(es["+12135550162"]) != 1 || len(en)+len(es) != 2 {
			t.Errorf("alert texts: en %v es %v", en, es)
		}
		if !strings.HasSuffix(es["+12135550162"][0], "Responda ALTO para dejar de recibir alertas.") {
			t.Errorf("Spanish text %q", es["+12135550162"][0])
		}
		mail := ralMailedPath(t, n.App, "pedro@example.org", response.LeavePath)
		if mail == "" {
			t.Error("no leave link in the alert e-mail")
		}

		// The all clear.
		g.get(ralPath("/response/alerts/new?parent=%d", id)).expect(t, "all clear page", http.StatusOK, g.tr("alerts.compose.all_clear_title"))
		clear := g.post("/response/alerts", url.Values{"parent": {strconv.FormatInt(id, 10)},
			"body_en": {"All clear near {{.Area}}."}, "body_es": {"Ya pasó el peligro cerca de {{.Area}}."}})
		if clear.Status != http.StatusSeeOther {
			t.Fatalf("all clear: %d\n%s", clear.Status, adminExcerpt(clear.Body))
		}
		cid, _ := strconv.ParseInt(strings.TrimPrefix(clear.Location, "/response/alerts/"), 10, 64)
		if al := ralWaitDone(t, n.App, cid); al.ParentID != id || al.Counts[response.RecipientSent] != 3 {
			t.Fatalf("all clear %+v", al)
		}
		if got := ralTexts(n, "All clear near 90001, 90002."); len(got) != 1 || len(got["+12135550161"]) != 1 {
			t.Errorf("English all clear: %v", got)
		}
		if got := ralTexts(n, "Ya pasó el peligro"); len(got) != 1 || len(got["+12135550162"]) != 1 {
			t.Errorf("Spanish all clear: %v", got)
		}
		g.get("/response/alerts").expect(t, "list", http.StatusOK, ralPath("Alert #%d", id), ralPath("All clear #%d", cid))
		g.get(ralPath("/response/reports/%d", report)).expect(t, "report page", http.StatusOK, g.tr("alerts.section.title"),
			ralPath(`href="/response/alerts/%d"`, id), ralPath(`href="/response/alerts/%d"`, cid), ralPath(`href="/response/alerts/new?report=%d"`, report))

		// Responders do not alert.
		r := adminAs(t, n.App, auth.RoleResponder)
		if p := r.get(newPath); p.Status != http.StatusForbidden {
			t.Errorf("a responder opened the compose page: %d", p.Status)
		}
	})
}

// Templates are written in both languages with the safe placeholders only; an alert can
// start from one (preview fills the texts).
func TestAlertsTemplatesPages(t *testing.T) {
	ralEachApp(t, func(t *testing.T, n ralNode) {
		g := adminAs(t, n.App, auth.RoleDispatcher)
		g.post("/response/alerts/templates", url.Values{"name": {"Raid"}, "kind": {"alert"}, "body_en": {"At {{.Address}}"}, "body_es": {""}}).
			expect(t, "bad template", http.StatusUnprocessableEntity, g.tr("alerts.body.placeholder"), g.tr("alerts.body.required"))
		g.postDone("/response/alerts/templates", url.Values{"name": {"Raid nearby"}, "kind": {"alert"},
			"body_en": {"Agents near {{.Area}} at {{.Time}}."}, "body_es": {"Agentes cerca de {{.Area}} a las {{.Time}}."}}, "/response/alerts/templates").
			expect(t, "templates", http.StatusOK, g.tr("alerts.flash.template_saved"), "Raid nearby", "Agentes cerca de")
		list, err := n.Response.AlertTemplates(context.Background(), ralSystem)
		if err != nil || len(list) != 1 {
			t.Fatalf("templates %v %v", list, err)
		}
		tid := list[0].ID
		g.get(ralPath("/response/alerts/templates/%d", tid)).expect(t, "edit", http.StatusOK, "Raid nearby")

		ralSubscribe(t, n, response.AlertSMS, "+12135550171", "es", "90001")
		report := ralReport(t, n.App, "90001", "12 Oak Street", true)
		g.post("/response/alerts/preview", url.Values{"report": {strconv.FormatInt(report, 10)}, "zips": {"90001"}, "template": {strconv.FormatInt(tid, 10)}}).
			expect(t, "preview from template", http.StatusOK, "Agentes cerca de 90001 a las", "Send to 1 subscriber")

		g.postDone(ralPath("/response/alerts/templates/%d/delete", tid), nil, "/response/alerts/templates").
			expect(t, "deleted", http.StatusOK, g.tr("alerts.flash.template_deleted"), g.tr("alerts.templates.none"))
	})
}

// The JSON API's alert endpoints need response.alert, a sensitive permission no API key
// holds: every key is refused, and a call without a key is unauthenticated.
func TestAlertsAPIRefusesKeys(t *testing.T) {
	n := ralOpen(t, "sqlite")
	key, _, err := n.Auth.CreateAPIKey(context.Background(), ralSystem, auth.NewAPIKey{Name: "partner", Role: auth.RoleOrganizer})
	if err != nil {
		t.Fatal(err)
	}
	v := newVisitor(t, n.App, "198.51.100.40")
	for _, c := range []struct{ method, path string }{{"GET", "/api/v1/alerts"}, {"GET", "/api/v1/alerts/1"}, {"POST", "/api/v1/alerts"}} {
		for _, k := range []string{"", key} {
			req := ralJSONRequest(c.method, c.path, `{"report_id": 1, "zip_codes": ["90001"]}`)
			if k != "" {
				req.Header.Set("Authorization", "Bearer "+k)
			}
			want := http.StatusUnauthorized
			if k != "" {
				want = http.StatusForbidden
			}
			if r := v.send(req); r.Status != want {
				t.Errorf("%s %s with key %v: %d, want %d", c.method, c.path, k != "", r.Status, want)
			}
		}
	}
}

// While an alert is sending, its page refreshes by itself (no JavaScript needed) and says
// how to stop that; once stopped, or once the alert is sent, it does not.
func TestAlertsStatusPageRefreshes(t *testing.T) {
	n := ralOpen(t, "sqlite") // jobs not worked: the alert stays queued
	ralSubscribe(t, n, response.AlertSMS, "+12135550191", "en", "90001")
	report := ralReport(t, n.App, "90001", "9 Pine Road", true)
	al, err := n.Response.CreateAlert(context.Background(), ralSystem, response.AlertRequest{ReportID: report, ZIPs: []string{"90001"},
		BodyEn: "Agents near {{.Area}}.", BodyEs: "Agentes cerca de {{.Area}}."})
	if err != nil {
		t.Fatal(err)
	}
	g := adminAs(t, n.App, auth.RoleDispatcher)
	p := g.get(ralPath("/response/alerts/%d", al.ID))
	p.expect(t, "sending", http.StatusOK, "Sending: 0 of 1 handled.", g.tr("alerts.show.stop_refresh"), ralPath(`href="/response/alerts/%d?still=1"`, al.ID))
	if p.Header.Get("Refresh") != "3" {
		t.Errorf("Refresh header %q while sending", p.Header.Get("Refresh"))
	}
	still := g.get(ralPath("/response/alerts/%d?still=1", al.ID))
	still.expect(t, "not refreshing", http.StatusOK, g.tr("alerts.show.refresh"))
	if still.Header.Get("Refresh") != "" {
		t.Error("the page refreshes after the visitor stopped it")
	}
}
