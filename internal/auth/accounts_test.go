package auth_test

import (
	"strings"
	"testing"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

func TestCreateAccountValidation(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		err := errOnly(e.svc.CreateAccount(e.ctx, system, auth.NewAccount{
			Email: "someone at example.org", Name: " ", Role: "boss", Locale: "de", Password: "short",
		}))
		wantField(t, err, "email", "auth.email.invalid")
		wantField(t, err, "name", "auth.name.required")
		wantField(t, err, "role", "auth.role.invalid")
		wantField(t, err, "locale", "auth.locale.invalid")
		wantField(t, err, "password", "auth.password.too_short")

		wantField(t, errOnly(e.svc.CreateAccount(e.ctx, system, auth.NewAccount{
			Email: "a@example.org", Name: strings.Repeat("n", auth.NameMax+1), Role: auth.RoleMember, Password: "quiet lanterns over the harbor",
		})), "name", "auth.name.too_long")
		for _, bad := range []string{"Name <a@example.org>", "a@@example.org", "@example.org", "a@", strings.Repeat("a", 250) + "@x.org"} {
			wantField(t, errOnly(e.svc.CreateAccount(e.ctx, system, auth.NewAccount{
				Email: bad, Name: "Someone", Role: auth.RoleMember, Password: "quiet lanterns over the harbor",
			})), "email", "auth.email.invalid")
		}

		a := e.account(t, "first@example.org", auth.RoleMember)
		if a.Email != "first@example.org" || a.Locale != "en" || a.Disabled || a.TwoFactor() {
			t.Fatalf("account = %+v", a)
		}
		wantField(t, errOnly(e.svc.CreateAccount(e.ctx, system, auth.NewAccount{
			Email: "FIRST@example.org", Name: "Again", Role: auth.RoleMember, Password: "quiet lanterns over the harbor",
		})), "email", "auth.email.taken")
	})
}

func TestAccountAdministration(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.admin(t)
		m := e.account(t, "m@example.org", auth.RoleMember)
		memberGrant := e.signIn(t, "m@example.org")
		member := e.actorOf(t, memberGrant)

		// Members read themselves, not others, and cannot manage accounts.
		if got, err := e.svc.Account(e.ctx, member, m.ID); err != nil || got.ID != m.ID {
			t.Fatalf("own account: %+v, %v", got, err)
		}
		wantKey(t, errOnly(e.svc.Account(e.ctx, member, admin.ID)), errs.CodeForbidden, "error.forbidden")
		wantKey(t, errOnly(e.svc.ListAccounts(e.ctx, member)), errs.CodeForbidden, "error.forbidden")
		wantKey(t, e.svc.SetRole(e.ctx, member, m.ID, auth.RoleAdministrator), errs.CodeForbidden, "error.forbidden")
		wantKey(t, e.svc.DisableAccount(e.ctx, member, admin.ID), errs.CodeForbidden, "error.forbidden")
		wantKey(t, errOnly(e.svc.CreateAccount(e.ctx, member, auth.NewAccount{})), errs.CodeForbidden, "error.forbidden")

		list, err := e.svc.ListAccounts(e.ctx, admin)
		if err != nil || len(list) != 2 {
			t.Fatalf("accounts = %+v, %v", list, err)
		}

		// A role change is audited and ends the account's sessions; the new role's rules apply.
		if err := e.svc.SetRole(e.ctx, admin, m.ID, auth.RoleDispatcher); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Session(e.ctx, memberGrant.Token)
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")
		if got := e.audit.find("auth.account.role"); len(got) != 1 || got[0].Detail != "role=member→dispatcher" || got[0].Object != "account:"+itoa(m.ID) {
			t.Fatalf("role audit = %+v", got)
		}
		if p := e.signIn(t, "m@example.org"); p.Stage != auth.StageEnrol {
			t.Fatalf("new dispatcher signs in to stage %s, want enrol", p.Stage)
		}
		wantField(t, e.svc.SetRole(e.ctx, admin, m.ID, "captain"), "role", "auth.role.invalid")

		// Nobody demotes or disables themselves, and the last administrator stays.
		wantKey(t, e.svc.SetRole(e.ctx, admin, admin.ID, auth.RoleMember), errs.CodeConflict, "auth.account.self")
		wantKey(t, e.svc.DisableAccount(e.ctx, admin, admin.ID), errs.CodeConflict, "auth.account.self")
		wantKey(t, e.svc.DisableAccount(e.ctx, system, admin.ID), errs.CodeConflict, "auth.account.last_admin")
		wantKey(t, e.svc.SetRole(e.ctx, system, admin.ID, auth.RoleOrganizer), errs.CodeConflict, "auth.account.last_admin")

		// Disable and enable.
		if err := e.svc.DisableAccount(e.ctx, admin, m.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.svc.Account(e.ctx, admin, m.ID); !got.Disabled {
			t.Fatal("not disabled")
		}
		_, err = e.svc.SignIn(e.ctx, "m@example.org", passwordFor("m@example.org"), client("m"))
		wantKey(t, err, errs.CodeInvalid, auth.KeySignInFailed)
		if err := e.svc.EnableAccount(e.ctx, admin, m.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SignIn(e.ctx, "m@example.org", passwordFor("m@example.org"), client("m")); err != nil {
			t.Fatalf("enabled again: %v", err)
		}
		wantKey(t, errOnly(e.svc.Account(e.ctx, admin, 9999)), errs.CodeNotFound, "auth.account.not_found")
		if err := e.svc.SetLocale(e.ctx, member, m.ID, "es"); err != nil {
			t.Fatal(err)
		}
		wantField(t, e.svc.SetLocale(e.ctx, member, m.ID, "xx"), "locale", "auth.locale.invalid")
	})
}

func TestCommandLine(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		pw, err := auth.ReadPassword(strings.NewReader("  spaces count in this passphrase \r\nignored\n"))
		if err != nil || pw != "  spaces count in this passphrase " {
			t.Fatalf("ReadPassword = %q, %v", pw, err)
		}
		if _, err := auth.ReadPassword(strings.NewReader("")); err == nil {
			t.Fatal("empty input accepted")
		}
		a, err := e.svc.AdminCreateUser(e.ctx, "First.Admin@example.org", "First Admin", auth.RoleAdministrator, pw)
		if err != nil {
			t.Fatal(err)
		}
		if a.Email != "first.admin@example.org" || a.Role != auth.RoleAdministrator {
			t.Fatalf("account = %+v", a)
		}
		if got := e.audit.find("auth.account.create"); len(got) != 1 || got[0].Actor != "system:cli" {
			t.Fatalf("audit = %+v", got)
		}
		wantField(t, errOnly(e.svc.AdminCreateUser(e.ctx, "x@example.org", "X", auth.RoleMember, "password")), "password", "auth.password.too_short")

		e.account(t, "helper@example.org", auth.RoleCaseworker)
		g := e.enrolTOTP(t, "helper@example.org")
		if err := e.svc.AdminResetTwoFactor(e.ctx, "HELPER@example.org"); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Session(e.ctx, g.Token)
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")
		if p := e.signIn(t, "helper@example.org"); p.Stage != auth.StageEnrol {
			t.Fatalf("after reset-2fa: stage %s", p.Stage)
		}
		if err := e.svc.AdminDisableUser(e.ctx, "helper@example.org"); err != nil {
			t.Fatal(err)
		}
		wantKey(t, e.svc.AdminDisableUser(e.ctx, "nobody@example.org"), errs.CodeNotFound, "auth.account.not_found")
	})
}
