package app_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/db"
)

// The one-tap link page speaks the responder's language (the switcher still wins), shows
// only the area before they are assigned, lets them decline and change their mind, and
// after assignment takes their updates from the scene (the note encrypted), which the
// report's page shows. A dead link, an expired one or one not yet assigned gets a plain
// refusal that says nothing about any report.
func TestRdiLinkPage(t *testing.T) {
	rdiEachApp(t, func(t *testing.T, a *app.App) {
		report := rdiReport(t, a, "90012", "400 Calle Principal")
		rosa := rdiResponder(t, a, rdiResponderSpec{Name: "Rosa", Phone: "+12015550111", Lang: "es", ZIPs: []string{"90012"}})
		rdiDispatch(t, a, report, 1, rosa)
		token := rdiTokenIn(t, rdiMessagesTo(t, a, "+12015550111")[0])
		path := "/respond/" + token

		status, h, page := rdiPage(t, a, http.MethodGet, path, nil, "en-US")
		if status != http.StatusOK || h.Get("Content-Language") != "es" || !strings.Contains(page, es(a, "response_dispatch.respond.can_you_go")) {
			t.Fatalf("the page is not in Rosa's Spanish: %d %q", status, h.Get("Content-Language"))
		}
		if strings.Contains(page, "Calle Principal") || !strings.Contains(page, "90012") || !strings.Contains(page, "Los Angeles") {
			t.Error("before accepting, the page must show the area and never the address")
		}
		if _, h, page = rdiPage(t, a, http.MethodGet, path+"?lang=en", nil, ""); h.Get("Content-Language") != "en" || !strings.Contains(page, en(a, "response_dispatch.respond.can_you_go")) {
			t.Error("the language switcher does not win")
		}

		// An update before assignment is refused.
		status, _, page = rdiPage(t, a, http.MethodPost, path+"/update", url.Values{"kind": {"on_scene"}}, "")
		if status != http.StatusConflict || !strings.Contains(page, es(a, "response_dispatch.update.not_assigned")) {
			t.Errorf("update before assignment: %d", status)
		}

		// Decline, then change her mind while the place is open.
		status, h, _ = rdiPage(t, a, http.MethodPost, path, url.Values{"answer": {"decline"}}, "")
		if status != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "?done=declined") {
			t.Fatalf("decline: %d %q", status, h.Get("Location"))
		}
		if s := rdiState(t, a, report, rosa.ID); s != "declined" {
			t.Fatalf("state %s", s)
		}
		_, _, page = rdiPage(t, a, http.MethodGet, path+"?done=declined", nil, "")
		if !strings.Contains(page, es(a, "response_dispatch.respond.outcome.declined")) || !strings.Contains(page, es(a, "response_dispatch.respond.declined_before")) {
			t.Error("the declined page does not say so")
		}
		rdiPage(t, a, http.MethodPost, path, url.Values{"answer": {"accept"}}, "")
		_, _, page = rdiPage(t, a, http.MethodGet, path+"?done=assigned", nil, "")
		if !strings.Contains(page, "400 Calle Principal") || !strings.Contains(page, es(a, "response_dispatch.respond.outcome.assigned")) {
			t.Fatal("the assigned page lacks the address")
		}

		// Updates: a bad kind is refused on the form; good ones land on the report page.
		status, _, page = rdiPage(t, a, http.MethodPost, path+"/update", url.Values{"kind": {"party"}}, "")
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, es(a, "response_dispatch.update.kind_invalid")) {
			t.Errorf("bad kind: %d", status)
		}
		status, _, _ = rdiPage(t, a, http.MethodPost, path+"/update", url.Values{"kind": {"on_scene"}}, "")
		if status != http.StatusSeeOther {
			t.Fatalf("on scene: %d", status)
		}
		const note = "Familia con dos niños, necesitan abogado"
		if status, _, _ = rdiPage(t, a, http.MethodPost, path+"/update", url.Values{"kind": {"family_help"}, "note": {note}}, ""); status != http.StatusSeeOther {
			t.Fatalf("family help: %d", status)
		}
		if status, _, _ = rdiPage(t, a, http.MethodPost, path+"/update", url.Values{"kind": {"on_scene"}, "note": {strings.Repeat("x", 501)}}, ""); status != http.StatusUnprocessableEntity {
			t.Errorf("a long note: %d", status)
		}
		var raw []byte
		if err := a.DB.QueryRowContext(context.Background(), db.Rebind("SELECT note FROM response_dispatch_updates WHERE kind = 'family_help'")).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if len(raw) == 0 || bytes.Contains(raw, []byte("abogado")) {
			t.Error("the note is not encrypted")
		}
		g := adminAs(t, a, auth.RoleDispatcher)
		before := rdiAuditCount(t, a, "response.scene_notes.read")
		p := g.get("/response/reports/" + rdiItoa(report))
		p.expect(t, "report page", http.StatusOK, "Rosa", note, g.tr("response_dispatch.update.on_scene"), g.tr("response_dispatch.update.family_help"),
			g.tr("response_dispatch.state.assigned"), g.tr("response_dispatch.via.link"))
		if n := rdiAuditCount(t, a, "response.scene_notes.read"); n != before+1 {
			t.Errorf("reading the notes audited %d times", n-before)
		}

		// Dead links.
		for _, bad := range []string{"/respond/1", "/respond/" + strings.Repeat("A", 43), "/respond/" + token[:42] + "_"} {
			status, _, page := rdiPage(t, a, http.MethodGet, bad, nil, "es")
			if status != http.StatusNotFound || !strings.Contains(page, es(a, "response_dispatch.gone.body")) || strings.Contains(page, "90012") {
				t.Errorf("%s: %d", bad, status)
			}
			if status, _, _ := rdiPage(t, a, http.MethodPost, bad, url.Values{"answer": {"accept"}}, ""); status != http.StatusNotFound {
				t.Errorf("POST %s: %d", bad, status)
			}
		}
		rdiClock(a, time.Now().Add(25*time.Hour))
		if status, _, page := rdiPage(t, a, http.MethodGet, path, nil, "en"); status != http.StatusNotFound || strings.Contains(page, "Calle Principal") {
			t.Errorf("an expired link answered %d", status)
		}
	})
}

// Dispatchers ask from the report's page: the proposals with their distance, the form,
// a refusal when nobody is ticked, and the request's progress afterwards.
func TestRdiReportPageDispatch(t *testing.T) {
	rdiEachApp(t, func(t *testing.T, a *app.App) {
		report := rdiReport(t, a, "10001", "9 Hidden Lane")
		near := rdiResponder(t, a, rdiResponderSpec{Name: "Nora Near", Phone: "+12015550121", ZIPs: []string{"10011"}})
		far := rdiResponder(t, a, rdiResponderSpec{Name: "Fabio Far", Phone: "+12015550122", ZIPs: []string{"11201"}})
		g := adminAs(t, a, auth.RoleDispatcher)
		page := "/response/reports/" + rdiItoa(report)
		p := g.get(page)
		p.expect(t, "report page", http.StatusOK, "Nora Near", "Fabio Far", " mi (", g.tr("response_dispatch.panel.send"))
		if strings.Index(p.Body, "Nora Near") > strings.Index(p.Body, "Fabio Far") {
			t.Error("the nearer responder is not listed first")
		}
		p = rdiPostBack(g, page, url.Values{"needed": {"1"}})
		p.expect(t, "nobody ticked", http.StatusOK, g.tr("response_dispatch.dispatch.none_selected"))
		if n := len(rdiMessages(t, a)); n != 0 {
			t.Fatalf("%d messages after a refused dispatch", n)
		}
		p = rdiPostBack(g, page, url.Values{"responder": {rdiItoa(near.ID), rdiItoa(far.ID)}, "needed": {"1"}})
		p.expect(t, "sent", http.StatusOK, g.tr("response_dispatch.dispatch.flash.sent"), g.tr("response_dispatch.state.pending"), g.tr("response_dispatch.panel.asked"))
		if n := len(rdiMessages(t, a)); n != 2 {
			t.Errorf("%d messages, want 2", n)
		}
		// Asking the same responders again is refused.
		p = rdiPostBack(g, page, url.Values{"responder": {rdiItoa(near.ID)}})
		p.expect(t, "asked twice", http.StatusOK, g.tr("response_dispatch.dispatch.responder_asked"))
		rdiReply(t, a, "+12015550122", "yes")
		g.get(page).expect(t, "after the answer", http.StatusOK, g.tr("response_dispatch.state.assigned"), g.tr("response_dispatch.via.sms"), g.tr("response_dispatch.state.not_needed"))

		// Roles without dispatch cannot send.
		o := adminAs(t, a, auth.RoleOrganizer)
		if p := o.post(page+"/dispatch", url.Values{"responder": {rdiItoa(near.ID)}}); p.Status != http.StatusForbidden {
			t.Errorf("organizer dispatch: %d", p.Status)
		}
	})
}

// rdiPostBack posts the dispatch form of a report page, which must come back to the
// page's dispatch section, and returns the page as the browser then shows it.
func rdiPostBack(g *adminAgent, page string, form url.Values) adminPage {
	g.t.Helper()
	p := g.post(page+"/dispatch", form)
	if p.Status != http.StatusSeeOther || p.Location != page+"#dispatch" {
		g.t.Fatalf("dispatch form: %d to %q", p.Status, p.Location)
	}
	return g.get(page)
}
