package auth_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

// linkToken pulls the token out of the single link of the mail to addr.
func (e *env) linkToken(t testing.TB, addr, path string) string {
	t.Helper()
	mails := e.mail.to(addr)
	if len(mails) == 0 {
		t.Fatalf("no mail to %s", addr)
	}
	m := mails[len(mails)-1]
	re := regexp.MustCompile(regexp.QuoteMeta("https://solidarity.test"+path) + `([A-Za-z0-9_-]{43})`)
	found := re.FindStringSubmatch(m.Text)
	if found == nil {
		t.Fatalf("no %s link in mail:\n%s", path, m.Text)
	}
	if !strings.Contains(m.HTML, found[0]) {
		t.Fatalf("HTML part lacks the link %s", found[0])
	}
	return found[1]
}

func (e *env) admin(t testing.TB) auth.Actor {
	t.Helper()
	e.account(t, "root@example.org", auth.RoleAdministrator)
	return e.actorOf(t, e.enrolTOTP(t, "root@example.org"))
}

func TestInvitation(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.admin(t)
		inv, err := e.svc.Invite(e.ctx, admin, auth.NewInvitation{Email: "Nueva@Example.org", Role: auth.RoleCaseworker, Locale: "es"})
		if err != nil {
			t.Fatal(err)
		}
		if inv.Email != "nueva@example.org" || inv.InvitedBy != admin.ID || !inv.ExpiresAt.Equal(e.clock.Now().Add(auth.InvitationTTL)) {
			t.Fatalf("invitation = %+v", inv)
		}
		m := e.mail.to("nueva@example.org")[0]
		if m.Subject != "Te invitamos a Solidarity" || !strings.Contains(m.Text, "con el rol de Gestión de casos") ||
			!strings.Contains(m.Text, "72 horas") || !strings.Contains(m.HTML, `lang="es"`) || m.Purpose != "auth.invite" {
			t.Fatalf("invitation mail not in Spanish or incomplete:\n%s\n%s", m.Subject, m.Text)
		}
		token := e.linkToken(t, "nueva@example.org", auth.InvitationPath)
		if got, err := e.svc.Invitation(e.ctx, token); err != nil || got.ID != inv.ID {
			t.Fatalf("Invitation(token) = %+v, %v", got, err)
		}

		// A bad password keeps the invitation usable.
		err = errOnly(e.svc.AcceptInvitation(e.ctx, token, "", "short"))
		wantField(t, err, "name", "auth.name.required")
		wantField(t, err, "password", "auth.password.too_short")
		a, err := e.svc.AcceptInvitation(e.ctx, token, "Nueva Persona", "faroles tranquilos sobre el puerto")
		if err != nil {
			t.Fatal(err)
		}
		if a.Email != "nueva@example.org" || a.Role != auth.RoleCaseworker || a.Locale != "es" || a.Name != "Nueva Persona" {
			t.Fatalf("account = %+v", a)
		}
		// Used once: the link is dead.
		wantKey(t, errOnly(e.svc.AcceptInvitation(e.ctx, token, "Otra", "faroles tranquilos sobre el puerto")), errs.CodeNotFound, "auth.invitation.invalid")
		if p, err := e.svc.SignIn(e.ctx, "nueva@example.org", "faroles tranquilos sobre el puerto", client("n")); err != nil || p.Stage != auth.StageEnrol {
			t.Fatalf("new caseworker signs in: %+v, %v; want the enrolment step", p, err)
		}
		if got := e.audit.find("auth.invite.accept"); len(got) != 1 || got[0].Actor != "account:"+itoa(a.ID) {
			t.Fatalf("accept audit = %+v", got)
		}

		// Inviting an address that has an account is refused.
		wantField(t, errOnly(e.svc.Invite(e.ctx, admin, auth.NewInvitation{Email: "nueva@example.org", Role: auth.RoleMember})), "email", "auth.email.taken")
	})
}

func TestInvitationExpiresAndIsReplaced(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.admin(t)
		if _, err := e.svc.Invite(e.ctx, admin, auth.NewInvitation{Email: "late@example.org", Role: auth.RoleMember}); err != nil {
			t.Fatal(err)
		}
		first := e.linkToken(t, "late@example.org", auth.InvitationPath)
		if m := e.mail.to("late@example.org")[0]; m.Subject != "You are invited to Solidarity" {
			t.Fatalf("English subject = %q", m.Subject)
		}
		// A second invitation to the same address replaces the first.
		if _, err := e.svc.Invite(e.ctx, admin, auth.NewInvitation{Email: "late@example.org", Role: auth.RolePartner}); err != nil {
			t.Fatal(err)
		}
		second := e.linkToken(t, "late@example.org", auth.InvitationPath)
		wantKey(t, errOnly(e.svc.Invitation(e.ctx, first)), errs.CodeNotFound, "auth.invitation.invalid")

		e.clock.Advance(auth.InvitationTTL)
		wantKey(t, errOnly(e.svc.AcceptInvitation(e.ctx, second, "Late Person", "quiet lanterns over the harbor")), errs.CodeNotFound, "auth.invitation.expired")
		list, err := e.svc.ListInvitations(e.ctx, admin)
		if err != nil || len(list) != 1 || list[0].Role != auth.RolePartner {
			t.Fatalf("invitations = %+v, %v", list, err)
		}
		// After the grace period the expired invitation, address and all, is deleted.
		e.clock.Advance(8 * 24 * time.Hour)
		if _, err := e.svc.PurgeExpired(e.ctx); err != nil {
			t.Fatal(err)
		}
		if list, _ := e.svc.ListInvitations(e.ctx, admin); len(list) != 0 {
			t.Fatalf("invitations after purge = %+v", list)
		}
	})
}

func TestInvitationNeedsAccountsManage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.account(t, "org@example.org", auth.RoleOrganizer)
		org := e.actorOf(t, e.signIn(t, "org@example.org"))
		wantKey(t, errOnly(e.svc.Invite(e.ctx, org, auth.NewInvitation{Email: "x@example.org", Role: auth.RoleMember})), errs.CodeForbidden, "error.forbidden")
		wantKey(t, errOnly(e.svc.Invite(e.ctx, auth.Public(), auth.NewInvitation{Email: "x@example.org", Role: auth.RoleMember})), errs.CodeUnauthenticated, "error.unauthenticated")
		err := errOnly(e.svc.Invite(e.ctx, system, auth.NewInvitation{Email: "not an address", Role: "king", Locale: "fr"}))
		wantField(t, err, "email", "auth.email.invalid")
		wantField(t, err, "role", "auth.role.invalid")
		wantField(t, err, "locale", "auth.locale.invalid")
		if len(e.mail.to("x@example.org")) != 0 {
			t.Fatal("a refused invitation sent mail")
		}
	})
}
