package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
)

// rdiForm is a filled responder form.
func rdiForm(person string, extra url.Values) url.Values {
	f := url.Values{
		"person": {person}, "languages": {"es", "en"}, "zips": {"10001, 10002"}, "counties": {"36061"},
		"on_call": {"yes"}, "time_zone": {"America/New_York"}, "channel": {"sms"}, "trained_on": {"2025-11-08"},
		"hours_1": {"18-23"}, "hours_6": {"22-2"},
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

// Dispatchers manage responders on their pages: add by e-mail (every problem shown next
// to its field, nothing saved), see and change them, put them on and off call, link a
// responder account, remove them. Other roles are refused.
func TestRdiStaffResponders(t *testing.T) {
	rdiEachApp(t, func(t *testing.T, a *app.App) {
		g := adminAs(t, a, auth.RoleDispatcher)
		rdiPerson(t, a, "Lucía Reyes", "lucia@example.org", "+12015550171", "es")
		g.get("/response/responders").expect(t, "empty list", http.StatusOK, g.tr("response_dispatch.responders.none"))
		g.get("/response/responders/new").expect(t, "new form", http.StatusOK, g.tr("response_dispatch.responder.person_hint"), g.tr("response_dispatch.day.Monday"))

		// Every problem at once; nothing saved.
		p := g.post("/response/responders", url.Values{"person": {"nobody@example.org"}, "zips": {"99999"}, "counties": {"123"},
			"time_zone": {"Mars/Base"}, "channel": {"pigeon"}, "hours_2": {"late"}, "trained_on": {"soon"}})
		p.expect(t, "invalid form", http.StatusUnprocessableEntity, g.tr("response_dispatch.responder.language_required"),
			g.tr("response_dispatch.responder.zip_unknown"), g.tr("response_dispatch.responder.county_unknown"),
			g.tr("response_dispatch.responder.time_zone_invalid"), g.tr("response_dispatch.responder.channel_invalid"),
			g.tr("response_dispatch.responder.hours_invalid"), g.tr("response_dispatch.responder.trained_invalid"),
			`aria-describedby="hours-hint f-hours_2-error"`, `id="f-zips-error"`)
		p = g.post("/response/responders", rdiForm("nobody@example.org", nil))
		p.expect(t, "unknown person", http.StatusUnprocessableEntity, g.tr("response_dispatch.responder.person_unknown"))
		p = g.post("/response/responders", rdiForm("lucia@example.org", url.Values{"account": {"organizer@example.org"}}))
		p.expect(t, "account that cannot respond", http.StatusUnprocessableEntity, g.tr("response_dispatch.responder.account_unknown"))
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_responders"); n != 0 {
			t.Fatalf("%d responders saved from invalid forms", n)
		}

		// A responder account to link.
		account(t, a, "lucia.responder@example.org", "Lucía", auth.RoleResponder)
		p = g.post("/response/responders", rdiForm("Lucia@Example.org", url.Values{"account": {"lucia.responder@example.org"}}))
		if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/response/responders/") {
			t.Fatalf("add: %d %q\n%s", p.Status, p.Location, adminExcerpt(p.Body))
		}
		edit := p.Location
		p = g.get(edit)
		p.expect(t, "edit page", http.StatusOK, g.tr("response_dispatch.responder.flash.added"), "Lucía Reyes", `value="10001, 10002"`,
			`value="36061"`, `value="18:00-23:00"`, `value="22:00-24:00"`, `value="00:00-02:00"`, `value="2025-11-08"`, "lucia.responder@example.org")
		g.post("/response/responders", rdiForm("lucia@example.org", nil)).expect(t, "twice", http.StatusConflict, g.tr("response_dispatch.responder.person_taken"))

		list := g.get("/response/responders")
		list.expect(t, "list", http.StatusOK, "Lucía Reyes", "10001, 10002", "New York, NY (36061)", g.tr("response_dispatch.language.es"),
			g.tr("response_dispatch.channel.sms"), "2025-11-08")

		// Change: e-mail, no hours, off call.
		p = g.post(edit, rdiForm("", url.Values{"account": {"lucia.responder@example.org"}, "channel": {"email"}, "on_call": nil, "hours_1": {""}, "hours_6": {""}, "zips": {"90012"}, "counties": {""}}))
		if p.Status != http.StatusSeeOther || p.Location != edit {
			t.Fatalf("update: %d %q\n%s", p.Status, p.Location, adminExcerpt(p.Body))
		}
		p = g.get(edit)
		p.expect(t, "after update", http.StatusOK, g.tr("response_dispatch.responder.flash.saved"), `value="90012"`)
		if strings.Contains(p.Raw, `name="on_call" value="yes" checked`) {
			t.Error("still on call")
		}
		g.post(edit, rdiForm("", url.Values{"zips": {""}, "counties": {""}})).expect(t, "no zone", http.StatusUnprocessableEntity, g.tr("response_dispatch.responder.zone_required"))

		// The quick toggle on the list.
		id := strings.TrimPrefix(edit, "/response/responders/")
		if p := g.post(edit+"/on-call", url.Values{"on_call": {"yes"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("toggle: %d", p.Status)
		}
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_responders WHERE on_call = TRUE AND id = ?", id); n != 1 {
			t.Error("not on call after the toggle")
		}
		if n := rdiAuditCount(t, a, "response.responder.on_call"); n != 1 {
			t.Errorf("%d on-call audit entries", n)
		}

		// The responder themself: their page and their own toggle.
		r := rdiAgentFor(t, a, "lucia.responder@example.org")
		r.get("/response/me").expect(t, "own page", http.StatusOK, r.tr("response_dispatch.me.available"), "90012")
		if p := r.post("/response/me/on-call", url.Values{"on_call": {"no"}}); p.Status != http.StatusSeeOther || p.Location != "/response/me" {
			t.Fatalf("own toggle: %d %q", p.Status, p.Location)
		}
		r.get("/response/me").expect(t, "own page off", http.StatusOK, r.tr("response_dispatch.me.flash.off_call"), r.tr("response_dispatch.me.go_on_call"))
		if r.get("/response/responders").Status != http.StatusForbidden {
			t.Error("a responder reaches the staff list")
		}
		// A responder account without a record is told to ask.
		other := adminAs(t, a, auth.RoleResponder)
		other.get("/response/me").expect(t, "not linked", http.StatusOK, other.tr("response_dispatch.me.not_linked"))

		// Remove, after the confirmation page.
		g.post(edit+"/remove", nil).expect(t, "confirm", http.StatusOK, g.tr("response_dispatch.responder.remove_message"))
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_responders"); n != 1 {
			t.Fatal("removed before confirming")
		}
		if p := g.post(edit+"/remove", url.Values{"confirm": {"yes"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("remove: %d", p.Status)
		}
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_responders"); n != 0 {
			t.Error("not removed")
		}
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM people WHERE email = 'lucia@example.org'"); n != 1 {
			t.Error("the person went with the responder")
		}
		g.get(edit).expect(t, "gone", http.StatusNotFound)

		o := adminAs(t, a, auth.RoleOrganizer)
		for _, path := range []string{"/response/responders", "/response/responders/new", "/response/me"} {
			if p := o.get(path); p.Status != http.StatusForbidden {
				t.Errorf("organizer %s: %d", path, p.Status)
			}
		}
	})
}

// rdiAgentFor signs in an existing account (made with the test passphrase) and returns
// its browser.
func rdiAgentFor(t *testing.T, a *app.App, email string) *adminAgent {
	t.Helper()
	ctx := context.Background()
	g, err := a.Auth.SignIn(ctx, email, passphrase, auth.Client{Key: "rdi-" + email})
	if err != nil {
		t.Fatal(err)
	}
	token := g.Token
	if g.Stage != auth.StageFull {
		setup, err := a.Auth.BeginTOTP(ctx, g.Token)
		if err != nil {
			t.Fatal(err)
		}
		enrol, err := a.Auth.ConfirmTOTP(ctx, g.Token, codeAt(t, setup.Secret, 0))
		if err != nil || enrol.SignedIn == nil {
			t.Fatalf("enrol %s: %v", email, err)
		}
		token = enrol.SignedIn.Token
	}
	return &adminAgent{t: t, a: a, token: token, lang: "en"}
}
