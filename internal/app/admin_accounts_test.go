package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/notify"
)

// Every administration page answers an administrator with its translated title, in both
// languages, and the dashboard greets every role with only the cards it may follow.
func TestAdminPagesRender(t *testing.T) {
	a := openApp(t)
	admin := adminAs(t, a, auth.RoleAdministrator)
	pages := []struct{ path, title string }{
		{"/dashboard", "admin.dashboard.title"},
		{"/admin", "admin.home.title"},
		{"/admin/accounts", "admin.accounts.title"},
		{"/admin/accounts/1", "admin.account.reset2fa.title"},
		{"/admin/api-keys", "admin.apikeys.title"},
		{"/admin/audit", "audit.title"},
		{"/admin/vault", "admin.vault.title"},
		{"/admin/retention", "retention.title"},
		{"/admin/outbox", "admin.outbox.title"},
	}
	for _, lang := range []string{"en", "es"} {
		admin.lang = lang
		for _, p := range pages {
			page := admin.get(p.path)
			page.expect(t, lang+" "+p.path, http.StatusOK, admin.tr(p.title), `<html lang="`+lang+`"`)
		}
	}
	admin.lang = "en"
	admin.get("/admin").expect(t, "admin index", http.StatusOK,
		`href="/admin/accounts"`, `href="/admin/api-keys"`, `href="/admin/audit"`, `href="/admin/vault"`,
		`href="/admin/retention"`, `href="/admin/outbox"`)
	admin.get("/dashboard").expect(t, "administrator's dashboard", http.StatusOK,
		"Hello, Holder of Administrator.", admin.tr("admin.vault.state.not_initialized"), `href="/admin"`, `href="/admin/vault"`)

	member := adminAs(t, a, auth.RoleMember)
	dash := member.get("/dashboard?lang=es")
	member.lang = "es"
	dash.expect(t, "member's dashboard", http.StatusOK, "Hola, Holder of Member.", member.tr("admin.dashboard.account"))
	dash.lacks(t, "member's dashboard", `href="/admin"`, `href="/admin/vault"`, member.tr("admin.dashboard.admin"))
	member.get("/admin").expect(t, "member at /admin", http.StatusForbidden)
	admin.get("/admin/accounts/999").expect(t, "unknown account", http.StatusNotFound, admin.tr("auth.account.not_found"))
	admin.get("/admin/accounts/x").expect(t, "malformed id", http.StatusNotFound)
}

// Inviting someone queues the mail in the invitee's language; with no mail server it lands
// in the outbox, where an administrator reads the link. Bad input comes back on the form.
func TestAdminInviteToOutbox(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		admin := adminAs(t, a, auth.RoleAdministrator)

		bad := admin.post("/admin/invitations", url.Values{"email": {"not an address"}, "role": {"wizard"}, "locale": {"es"}})
		bad.expect(t, "bad invitation", http.StatusUnprocessableEntity,
			admin.tr("admin.form.errors"), admin.tr("auth.email.invalid"), admin.tr("auth.role.invalid"),
			`value="not an address"`, `aria-describedby="f-email-error"`, `href="#f-email"`)
		taken := admin.post("/admin/invitations", url.Values{"email": {"administrator@example.org"}, "role": {"member"}, "locale": {"en"}})
		taken.expect(t, "invitation to an existing account", http.StatusUnprocessableEntity, admin.tr("auth.email.taken"))

		page := admin.postDone("/admin/invitations", url.Values{"email": {" Nueva@Example.org "}, "role": {"organizer"}, "locale": {"es"}}, "/admin/accounts")
		page.expect(t, "after inviting", http.StatusOK, admin.tr("admin.invite.sent_outbox"), "nueva@example.org", admin.tr("auth.role.organizer"))
		adminAudited(t, a, "auth.invite")

		list, err := a.Notify.Deliveries(context.Background(), notify.Filter{Purpose: "auth.invite"}, notify.Page{})
		if err != nil || len(list.Deliveries) != 1 {
			t.Fatalf("deliveries of auth.invite: %+v, %v", list, err)
		}
		d := list.Deliveries[0]
		if d.Status != notify.StatusOutbox || d.To != "nueva@example.org" {
			t.Fatalf("invitation delivery: %+v", d)
		}
		outbox := admin.get("/admin/outbox?status=outbox")
		outbox.expect(t, "outbox", http.StatusOK, admin.tr("admin.outbox.no_smtp"), d.Subject, "nueva@example.org",
			fmt.Sprintf(`href="/admin/outbox/%d"`, d.ID), admin.tr("notify.status.outbox"))
		if want := a.Catalog.Localizer("es").T("auth.mail.invite.subject", map[string]any{"Site": "Solidarity"}); d.Subject != want {
			t.Errorf("subject %q, want the Spanish %q", d.Subject, want)
		}
		show := admin.get(fmt.Sprintf("/admin/outbox/%d", d.ID))
		show.expect(t, "invitation in the outbox", http.StatusOK, admin.tr("notify.status_help.outbox"), "/invitations/")
		link := regexp.MustCompile(`https?://[^\s<]+/invitations/[A-Za-z0-9_-]{43}`).FindString(show.Body)
		if link == "" {
			t.Fatalf("no invitation link on the delivery page")
		}
		token := link[strings.LastIndex(link, "/")+1:]
		if inv, err := a.Auth.Invitation(context.Background(), token); err != nil || inv.Role != auth.RoleOrganizer || inv.Locale != "es" {
			t.Errorf("the link in the outbox does not open the invitation: %+v, %v", inv, err)
		}
		if e := adminAudited(t, a, "notify.delivery.read")[0]; e.Object != fmt.Sprintf("delivery:%d", d.ID) || e.Actor != "account:1" {
			t.Errorf("reading the delivery audited as %+v", e)
		}

		// Withdrawing the invitation kills the link.
		invs, err := a.Auth.ListInvitations(context.Background(), auth.System("test"))
		if err != nil || len(invs) != 1 {
			t.Fatalf("invitations: %v, %v", invs, err)
		}
		after := admin.postDone(fmt.Sprintf("/admin/invitations/%d/revoke", invs[0].ID), nil, "/admin/accounts")
		after.expect(t, "after withdrawing", http.StatusOK, admin.tr("admin.invite.revoked"), admin.tr("admin.invite.none"))
		if _, err := a.Auth.Invitation(context.Background(), token); err == nil {
			t.Error("a withdrawn invitation still opens")
		}
		admin.post(fmt.Sprintf("/admin/invitations/%d/revoke", invs[0].ID), nil).expect(t, "withdraw twice", http.StatusNotFound, admin.tr("auth.invitation.not_found"))
	})
}

// An administrator changes another account's role (audited, sessions ended), cannot change
// their own, and is told what is wrong with a bad choice.
func TestAdminRoleChange(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		admin := adminAs(t, a, auth.RoleAdministrator)
		member := adminAs(t, a, auth.RoleMember)
		acc, err := a.Auth.AccountByEmail(ctx, auth.System("test"), "member@example.org")
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/admin/accounts/%d", acc.ID)
		admin.get(path).expect(t, "account page", http.StatusOK, "member@example.org", admin.tr("admin.account.role.button"),
			admin.tr("admin.account.disable.start"), admin.tr("admin.account.sessions.title"))

		admin.post(path+"/role", url.Values{"role": {"emperor"}}).expect(t, "unknown role", http.StatusUnprocessableEntity,
			admin.tr("auth.role.invalid"), `aria-invalid="true"`)
		page := admin.postDone(path+"/role", url.Values{"role": {"organizer"}}, path)
		page.expect(t, "after the change", http.StatusOK, admin.tr("admin.account.flash.role"), admin.tr("auth.role.organizer"))
		e := adminAudited(t, a, "auth.account.role")[0]
		if e.Object != fmt.Sprintf("account:%d", acc.ID) || e.Actor != "account:1" || e.Detail != "role=member→organizer" {
			t.Errorf("role change audited as %+v", e)
		}
		if got := member.get("/dashboard"); got.Status != http.StatusSeeOther {
			t.Errorf("the member's old session still works after the role change: %d", got.Status)
		}

		self := admin.get("/admin/accounts/1")
		self.expect(t, "own account", http.StatusOK, admin.tr("admin.account.self_note"))
		self.lacks(t, "own account", admin.tr("admin.account.role.button"))
		admin.post("/admin/accounts/1/role", url.Values{"role": {"member"}}).expect(t, "own role", http.StatusConflict, admin.tr("auth.account.self"))
	})
}

// Disabling, resetting two-step sign-in and ending sessions each ask first, then act; every
// change is audited by the service.
func TestAdminAccountActions(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		sys := auth.System("test")
		admin := adminAs(t, a, auth.RoleAdministrator)
		worker := adminAs(t, a, auth.RoleCaseworker) // a sensitive role: enrolled TOTP
		acc, err := a.Auth.AccountByEmail(ctx, sys, "caseworker@example.org")
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/admin/accounts/%d", acc.ID)

		steps := []struct {
			action, heading, button, flash, audit string
		}{
			{"/end-sessions", "admin.account.end_sessions.heading", "admin.account.end_sessions.button", "admin.account.flash.sessions_ended", "auth.session.end_all"},
			{"/reset-two-factor", "admin.account.reset2fa.heading", "admin.account.reset2fa.button", "admin.account.flash.reset2fa", "auth.2fa.reset"},
			{"/disable", "admin.account.disable.heading", "admin.account.disable.button", "admin.account.flash.disabled", "auth.account.disable"},
		}
		for _, s := range steps {
			ask := admin.post(path+s.action, nil)
			ask.expect(t, s.action+" asks first", http.StatusOK, admin.tr(s.heading), admin.tr(s.button), "Holder of Caseworker",
				`name="confirm" value="yes"`, `action="`+path+s.action+`"`)
			done := admin.postDone(path+s.action, url.Values{"confirm": {"yes"}}, path)
			done.expect(t, s.action+" done", http.StatusOK, admin.tr(s.flash))
			if e := adminAudited(t, a, s.audit)[0]; e.Object != fmt.Sprintf("account:%d", acc.ID) {
				t.Errorf("%s audited on %q", s.action, e.Object)
			}
		}
		got, err := a.Auth.Account(ctx, sys, acc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Disabled || got.TwoFactor() {
			t.Errorf("after the actions: disabled=%v two-factor=%v", got.Disabled, got.TwoFactor())
		}
		if sessions, _ := a.Auth.ListSessions(ctx, sys, acc.ID); len(sessions) != 0 {
			t.Errorf("%d sessions left", len(sessions))
		}
		if worker.get("/dashboard").Status != http.StatusSeeOther {
			t.Error("the caseworker is still signed in")
		}
		admin.postDone(path+"/enable", nil, path).expect(t, "enabled", http.StatusOK, admin.tr("admin.account.flash.enabled"), admin.tr("admin.account.active"))
		adminAudited(t, a, "auth.account.enable")

		// The last administrator cannot be disabled, even by someone else's hand (here: the
		// confirmation page still asks; the service refuses).
		admin.post("/admin/accounts/1/disable", url.Values{"confirm": {"yes"}}).expect(t, "disable oneself", http.StatusConflict, admin.tr("auth.account.self"))
	})
}
