package auth_test

import (
	"context"
	"testing"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

func TestPermissionTable(t *testing.T) {
	cases := []struct {
		role      auth.Role
		sensitive bool
		allowed   []auth.Permission
		forbidden []auth.Permission
	}{
		{auth.RoleAdministrator, true, auth.Permissions(), nil},
		{auth.RoleOrganizer, false,
			[]auth.Permission{auth.PermPeopleRead, auth.PermPeopleExport, auth.PermGivingWrite, auth.PermMessagingSend, auth.PermCampaignsWrite},
			[]auth.Permission{auth.PermCasesRead, auth.PermResponseDispatch, auth.PermIncidentsRead, auth.PermAccountsManage, auth.PermOutboxRead, auth.PermVaultManage}},
		{auth.RoleDispatcher, true,
			[]auth.Permission{auth.PermResponseIntake, auth.PermResponseDispatch, auth.PermResponseAlert},
			[]auth.Permission{auth.PermCasesRead, auth.PermPeopleExport, auth.PermGivingRead, auth.PermAccountsManage}},
		{auth.RoleResponder, true,
			[]auth.Permission{auth.PermResponseRespond},
			[]auth.Permission{auth.PermResponseDispatch, auth.PermResponseAlert, auth.PermPeopleRead, auth.PermCasesRead}},
		{auth.RoleCaseworker, true,
			[]auth.Permission{auth.PermCasesRead, auth.PermCasesWrite, auth.PermIncidentsRead},
			[]auth.Permission{auth.PermPeopleExport, auth.PermResponseDispatch, auth.PermAuditRead, auth.PermIncidentsPublish}},
		{auth.RoleResearcher, false,
			[]auth.Permission{auth.PermStatsRead, auth.PermIncidentsPublish, auth.PermLibraryWrite},
			[]auth.Permission{auth.PermIncidentsRead, auth.PermCasesRead, auth.PermPeopleRead, auth.PermPeopleExport}},
		{auth.RoleMember, false,
			[]auth.Permission{auth.PermLibraryRead},
			[]auth.Permission{auth.PermLibraryWrite, auth.PermPeopleRead, auth.PermStatsRead, auth.PermGivingRead}},
		{auth.RolePartner, false,
			[]auth.Permission{auth.PermLibraryRead},
			[]auth.Permission{auth.PermPeopleRead, auth.PermMessagingSend, auth.PermCasesRead}},
	}
	if len(cases) != len(auth.Roles()) {
		t.Fatalf("table covers %d roles, want all %d", len(cases), len(auth.Roles()))
	}
	for _, tc := range cases {
		t.Run(string(tc.role), func(t *testing.T) {
			if !tc.role.Valid() {
				t.Fatal("not a valid role")
			}
			if got := tc.role.Sensitive(); got != tc.sensitive {
				t.Errorf("Sensitive() = %v, want %v", got, tc.sensitive)
			}
			a := auth.Actor{Kind: auth.KindAccount, ID: 7, Role: tc.role}
			for _, p := range tc.allowed {
				if !a.Can(p) || a.Require(p) != nil {
					t.Errorf("%s cannot %s", tc.role, p)
				}
			}
			for _, p := range tc.forbidden {
				if a.Can(p) {
					t.Errorf("%s can %s", tc.role, p)
				}
				wantKey(t, a.Require(p), errs.CodeForbidden, "error.forbidden")
			}
		})
	}
}

func TestEveryPermissionGrantedSomewhere(t *testing.T) {
	for _, p := range auth.Permissions() {
		if !auth.RoleAdministrator.Can(p) {
			t.Errorf("administrator lacks %s", p)
		}
	}
	if auth.Role("superuser").Valid() || auth.Role("superuser").Can(auth.PermLibraryRead) {
		t.Error("an unknown role is valid or grants something")
	}
}

func TestActorKinds(t *testing.T) {
	pub := auth.Public()
	wantKey(t, pub.Require(auth.PermLibraryRead), errs.CodeUnauthenticated, "error.unauthenticated")
	if pub.Label() != "public" {
		t.Errorf("public label = %q", pub.Label())
	}
	sys := auth.System("cli")
	if !sys.Can(auth.PermVaultManage) || sys.Label() != "system:cli" {
		t.Errorf("system actor: can vault.manage %v, label %q", sys.Can(auth.PermVaultManage), sys.Label())
	}
	acct := auth.Actor{Kind: auth.KindAccount, ID: 12, Role: auth.RoleOrganizer}
	if acct.Label() != "account:12" {
		t.Errorf("account label = %q", acct.Label())
	}
	// An account actor without an id is nobody.
	wantKey(t, auth.Actor{Kind: auth.KindAccount, Role: auth.RoleAdministrator}.Require(auth.PermPeopleRead),
		errs.CodeUnauthenticated, "error.unauthenticated")
	// API keys never reach sensitive data, even with a role that would.
	key := auth.Actor{Kind: auth.KindAPIKey, ID: 3, Role: auth.RoleAdministrator}
	if key.Can(auth.PermCasesRead) || key.Can(auth.PermAccountsManage) || !key.Can(auth.PermPeopleRead) {
		t.Error("API key actor reaches sensitive permissions or misses plain ones")
	}
	if key.Label() != "apikey:3" {
		t.Errorf("API key label = %q", key.Label())
	}
	ctx := auth.WithActor(context.Background(), acct)
	if got := auth.ActorFrom(ctx); got != acct {
		t.Errorf("ActorFrom = %+v", got)
	}
	if got := auth.ActorFrom(context.Background()); got.Kind != auth.KindPublic {
		t.Errorf("ActorFrom empty context = %+v, want public", got)
	}
}
