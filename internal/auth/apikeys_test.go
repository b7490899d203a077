package auth_test

import (
	"strings"
	"testing"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

func TestAPIKeys(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.admin(t)
		key, k, err := e.svc.CreateAPIKey(e.ctx, admin, auth.NewAPIKey{Name: "Website sign-up form", Role: auth.RoleOrganizer})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(key, "sol_") || len(key) != 47 || k.Prefix != key[:12] || k.CreatedBy != admin.ID {
			t.Fatalf("key %q, record %+v", key, k)
		}
		actor, err := e.svc.APIKey(e.ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if actor.Kind != auth.KindAPIKey || actor.ID != k.ID || actor.Role != auth.RoleOrganizer || actor.Label() != "apikey:"+itoa(k.ID) {
			t.Fatalf("actor = %+v", actor)
		}
		if !actor.Can(auth.PermPeopleWrite) || actor.Can(auth.PermAPIKeysManage) {
			t.Fatal("API key actor has the wrong permissions")
		}
		list, err := e.svc.ListAPIKeys(e.ctx, admin)
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil || !list[0].Active(e.clock.Now()) {
			t.Fatalf("keys = %+v, %v", list, err)
		}

		// Wrong, garbled and look-alike keys are refused.
		other := "A"
		if key[46] == 'A' {
			other = "B"
		}
		for _, bad := range []string{"", "sol_", key[:46], key + "x", "xyz_" + key[4:], key[:46] + other} {
			_, err := e.svc.APIKey(e.ctx, bad)
			wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")
		}

		// Revoked keys stop at once; revoking twice is not found.
		if err := e.svc.RevokeAPIKey(e.ctx, admin, k.ID); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.APIKey(e.ctx, key)
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")
		wantKey(t, e.svc.RevokeAPIKey(e.ctx, admin, k.ID), errs.CodeNotFound, "auth.apikey.not_found")
	})
}

func TestAPIKeyExpiryAndRules(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.admin(t)
		in := e.clock.Now().Add(time.Hour)
		key, _, err := e.svc.CreateAPIKey(e.ctx, admin, auth.NewAPIKey{Name: "Import", Role: auth.RoleMember, ExpiresAt: &in})
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Hour - time.Second)
		if _, err := e.svc.APIKey(e.ctx, key); err != nil {
			t.Fatalf("before expiry: %v", err)
		}
		e.clock.Advance(time.Second)
		_, err = e.svc.APIKey(e.ctx, key)
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")

		past := e.clock.Now()
		err = errOnly3(e.svc.CreateAPIKey(e.ctx, admin, auth.NewAPIKey{Name: "", Role: auth.RoleCaseworker, ExpiresAt: &past}))
		wantField(t, err, "name", "auth.name.required")
		wantField(t, err, "role", "auth.apikey.role_sensitive")
		wantField(t, err, "expires", "auth.apikey.expires_past")

		e.account(t, "org@example.org", auth.RoleOrganizer)
		org := e.actorOf(t, e.signIn(t, "org@example.org"))
		wantKey(t, errOnly3(e.svc.CreateAPIKey(e.ctx, org, auth.NewAPIKey{Name: "Mine", Role: auth.RoleMember})), errs.CodeForbidden, "error.forbidden")
		wantKey(t, errOnly(e.svc.ListAPIKeys(e.ctx, org)), errs.CodeForbidden, "error.forbidden")
	})
}

func errOnly3[A, B any](_ A, _ B, err error) error { return err }
