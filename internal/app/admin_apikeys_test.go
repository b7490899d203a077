package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

// A new API key is shown once, on the answer to the POST (never in a URL, never stored by
// the browser), works for the API, and stops working when revoked.
func TestAdminAPIKeyShownOnce(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		admin := adminAs(t, a, auth.RoleAdministrator)
		tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02")

		bad := []struct {
			name string
			form url.Values
			key  string
		}{
			{"sensitive role", url.Values{"name": {"CRM"}, "role": {"caseworker"}}, "auth.apikey.role_sensitive"},
			{"no name", url.Values{"name": {"  "}, "role": {"member"}}, "auth.name.required"},
			{"malformed date", url.Values{"name": {"CRM"}, "role": {"member"}, "expires": {"31/01/2027"}}, "admin.apikeys.expires_invalid"},
			{"date in the past", url.Values{"name": {"CRM"}, "role": {"member"}, "expires": {"2020-01-01"}}, "auth.apikey.expires_past"},
		}
		for _, b := range bad {
			p := admin.post("/admin/api-keys", b.form)
			p.expect(t, b.name, http.StatusUnprocessableEntity, admin.tr(b.key), admin.tr("admin.form.errors"))
			p.lacks(t, b.name, "sol_")
		}

		created := admin.post("/admin/api-keys", url.Values{"name": {"Website CRM"}, "role": {"organizer"}, "expires": {tomorrow}})
		created.expect(t, "new key", http.StatusOK, admin.tr("admin.apikeys.created.warning"), "Website CRM", admin.tr("auth.role.organizer"))
		if cc := created.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the page with the key has Cache-Control %q", cc)
		}
		if created.Location != "" {
			t.Errorf("the key page redirects to %q", created.Location)
		}
		key := regexp.MustCompile(`sol_[A-Za-z0-9_-]{43}`).FindString(created.Body)
		if key == "" {
			t.Fatal("the key is not on the page")
		}
		who, err := a.Auth.APIKey(ctx, key)
		if err != nil || who.Kind != auth.KindAPIKey || who.Role != auth.RoleOrganizer || who.Name != "Website CRM" {
			t.Fatalf("the shown key does not work: %+v, %v", who, err)
		}

		list := admin.get("/admin/api-keys")
		list.expect(t, "key list", http.StatusOK, "Website CRM", key[:12], admin.tr("admin.apikeys.active"))
		list.lacks(t, "key list", key)
		keys, err := a.Auth.ListAPIKeys(ctx, auth.System("test"))
		if err != nil || len(keys) != 1 {
			t.Fatalf("keys: %v, %v", keys, err)
		}
		if k := keys[0]; k.ExpiresAt == nil || k.ExpiresAt.Format("2006-01-02") != time.Now().UTC().AddDate(0, 0, 2).Format("2006-01-02") {
			t.Errorf("a key for %s expires at %v, want the end of that day", tomorrow, k.ExpiresAt)
		}
		adminAudited(t, a, "auth.apikey.create")

		revoke := fmt.Sprintf("/admin/api-keys/%d/revoke", keys[0].ID)
		admin.post(revoke, nil).expect(t, "revoke asks first", http.StatusOK, admin.tr("admin.apikeys.revoke.heading"), "Website CRM · "+key[:12])
		admin.postDone(revoke, url.Values{"confirm": {"yes"}}, "/admin/api-keys").expect(t, "revoked", http.StatusOK,
			admin.tr("admin.apikeys.revoked"), admin.tr("admin.apikeys.revoked_at"))
		if _, err := a.Auth.APIKey(ctx, key); errs.CodeOf(err) != errs.CodeUnauthenticated {
			t.Errorf("a revoked key answers %v", err)
		}
		adminAudited(t, a, "auth.apikey.revoke")
		admin.post(revoke, url.Values{"confirm": {"yes"}}).expect(t, "revoke twice", http.StatusNotFound, admin.tr("auth.apikey.not_found"))
		admin.post(revoke, nil).expect(t, "ask to revoke a revoked key", http.StatusNotFound)
	})
}
