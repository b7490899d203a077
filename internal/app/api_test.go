package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"solidarity/internal/api"
	"solidarity/internal/audit"
	"solidarity/internal/auth"
)

// Every API endpoint is called with a key of every role that may hold one: the answer
// follows the permission table; a missing, unknown or revoked key gets 401; each call is
// attributed in the audit log.
func TestAPIKeysAndRoleMatrix(t *testing.T) {
	a := openApp(t)
	ctx := context.Background()
	keys := map[auth.Role]string{}
	var revoked string
	for _, role := range auth.Roles() {
		if role.Sensitive() {
			continue // keys skip two-factor, so they cannot hold these roles
		}
		key, k, err := a.Auth.CreateAPIKey(ctx, auth.System("test"), auth.NewAPIKey{Name: "key " + string(role), Role: role})
		if err != nil {
			t.Fatalf("key for %s: %v", role, err)
		}
		keys[role] = key
		if revoked == "" {
			revoked2, k2, err := a.Auth.CreateAPIKey(ctx, auth.System("test"), auth.NewAPIKey{Name: "old", Role: role})
			if err != nil {
				t.Fatal(err)
			}
			if err := a.Auth.RevokeAPIKey(ctx, auth.System("test"), k2.ID); err != nil {
				t.Fatal(err)
			}
			revoked = revoked2
		}
		_ = k
	}
	if len(keys) == 0 {
		t.Fatal("no role can hold an API key")
	}
	call := func(method, path string, header map[string]string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(""))
		for k, v := range header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		a.Handler().ServeHTTP(rec, req)
		return rec
	}
	for _, rt := range a.API.Routes() {
		method, path := samplePath(rt.Pattern)
		for _, h := range []map[string]string{nil, {"Authorization": "Bearer sol_nonsense"}, {"Authorization": "Bearer " + revoked}} {
			if rec := call(method, path, h); rec.Code != http.StatusUnauthorized {
				t.Errorf("%s with %v: %d, want 401", rt.Pattern, h, rec.Code)
			}
		}
		for role, key := range keys {
			allowed := rt.Access == api.AnyKey || role.Can(auth.Permission(rt.Access))
			rec := call(method, path, map[string]string{"Authorization": "Bearer " + key})
			denied := rec.Code == http.StatusUnauthorized || rec.Code == http.StatusForbidden
			if allowed == denied {
				t.Errorf("%s as %s: %d (allowed by table: %v)", rt.Pattern, role, rec.Code, allowed)
			}
		}
	}

	// OSDI's header works too, and the call is in the audit log under the key.
	rec := call("GET", "/api/v1/", map[string]string{"OSDI-API-Token": keys[auth.RoleOrganizer], "Accept-Language": "es"})
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Type"), "json") {
		t.Fatalf("entry point: %d %s", rec.Code, rec.Body)
	}
	var aep map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &aep); err != nil || aep["osdi_version"] == nil {
		t.Errorf("entry point body: %v %s", err, rec.Body)
	}
	entries, err := audit.List(ctx, a.DB, audit.Filter{Action: "api.call"})
	if err != nil || len(entries) == 0 || !strings.HasPrefix(entries[0].Actor, "apikey:") {
		t.Errorf("API calls not attributed in the audit log: %v %+v", err, entries)
	}
	// Errors are JSON, translated by Accept-Language.
	rec = call("GET", "/api/v1/nothing-here", map[string]string{"Authorization": "Bearer " + keys[auth.RoleOrganizer], "Accept-Language": "es"})
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), "No existe") {
		t.Errorf("unknown endpoint: %d %s", rec.Code, rec.Body)
	}
}
