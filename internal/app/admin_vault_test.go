package app_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
)

// The vault's whole life through its page: set up (passphrase twice), the emergency seal
// (the banner appears, the vault reports sealed everywhere), unseal (a wrong passphrase is
// refused and audited), rotation and a change of passphrase; each action audited; too
// many unseal attempts get 429.
func TestAdminVault(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		admin := adminAs(t, a, auth.RoleAdministrator)
		const pass = "seven quiet rivers under the bridge"

		admin.get("/admin/vault").expect(t, "not set up", http.StatusOK, admin.tr("admin.vault.init.title"), admin.tr("admin.vault.init.warning"))
		admin.get("/dashboard").expect(t, "banner before set-up", http.StatusOK, admin.tr("layout.sealed"))
		admin.post("/admin/vault/init", url.Values{"passphrase": {pass}, "passphrase_confirm": {pass + "!"}}).
			expect(t, "mismatch", http.StatusUnprocessableEntity, admin.tr("admin.vault.passphrase_mismatch"), `href="#f-passphrase_confirm"`)
		admin.post("/admin/vault/init", url.Values{"passphrase": {"short"}, "passphrase_confirm": {"short"}}).
			expect(t, "too short", http.StatusUnprocessableEntity, admin.tr("vault.passphrase.too_short"))
		admin.postDone("/admin/vault/init", url.Values{"passphrase": {pass}, "passphrase_confirm": {pass}}, "/admin/vault").
			expect(t, "set up", http.StatusOK, admin.tr("admin.vault.flash.initialized"), admin.tr("admin.vault.seal.button"), admin.tr("admin.vault.key_version", map[string]any{"Version": 1}))
		if a.Vault.Sealed() {
			t.Fatal("the vault is sealed after set-up")
		}
		admin.get("/dashboard").lacks(t, "no banner once unsealed", admin.tr("layout.sealed"))
		admin.post("/admin/vault/init", url.Values{"passphrase": {pass}, "passphrase_confirm": {pass}}).
			expect(t, "set up twice", http.StatusConflict, admin.tr("vault.already_initialized"))

		sealed := admin.postDone("/admin/vault/seal", nil, "/admin/vault")
		sealed.expect(t, "sealed", http.StatusOK, admin.tr("admin.vault.flash.sealed"), admin.tr("layout.sealed"),
			admin.tr("admin.vault.cluster_sealed"), admin.tr("admin.vault.unseal.title"), admin.tr("admin.vault.seal.already"))
		st, err := a.Vault.Status(ctx)
		if err != nil || !st.Sealed || !st.ClusterSealed {
			t.Fatalf("after the emergency seal: %+v, %v", st, err)
		}
		admin.get("/admin/accounts").expect(t, "banner on other pages", http.StatusOK, admin.tr("layout.sealed"))
		admin.post("/admin/vault/rotate", nil).expect(t, "rotate while sealed", http.StatusServiceUnavailable, admin.tr("error.sealed"))

		admin.post("/admin/vault/unseal", url.Values{"passphrase": {"not the passphrase at all"}}).
			expect(t, "wrong passphrase", http.StatusUnprocessableEntity, admin.tr("vault.passphrase.wrong"), `aria-describedby="f-passphrase-error"`)
		adminAudited(t, a, "vault.unseal_failed")
		admin.postDone("/admin/vault/unseal", url.Values{"passphrase": {pass}}, "/admin/vault").
			expect(t, "unsealed", http.StatusOK, admin.tr("admin.vault.flash.unsealed"), admin.tr("admin.vault.rotate.title"))
		if a.Vault.Sealed() {
			t.Fatal("still sealed after unseal")
		}

		admin.postDone("/admin/vault/rotate", nil, "/admin/vault").expect(t, "rotated", http.StatusOK,
			admin.tr("admin.vault.flash.rotated"), admin.tr("admin.vault.key_version", map[string]any{"Version": 2}))
		const next = "a brand new passphrase for the vault"
		admin.post("/admin/vault/secret", url.Values{"current_passphrase": {"wrong wrong wrong"}, "new_passphrase": {next}, "new_passphrase_confirm": {next}}).
			expect(t, "change with a wrong current passphrase", http.StatusUnprocessableEntity, admin.tr("vault.passphrase.wrong"), `href="#f-current_passphrase"`)
		admin.postDone("/admin/vault/secret", url.Values{"current_passphrase": {pass}, "new_passphrase": {next}, "new_passphrase_confirm": {next}}, "/admin/vault").
			expect(t, "changed", http.StatusOK, admin.tr("admin.vault.flash.secret_changed"))

		for _, action := range []string{"vault.init", "vault.seal", "vault.unseal", "vault.rotate", "vault.change_secret"} {
			if e := adminAudited(t, a, action)[0]; e.Actor != "account:1" || e.ActorName != "Holder of Administrator" || e.Object != "vault" {
				t.Errorf("%s audited as %+v", action, e)
			}
		}

		// Guessing is capped: the limit counts every attempt of this administrator.
		var last int
		for range 12 {
			p := admin.post("/admin/vault/unseal", url.Values{"passphrase": {"guess guess guess"}})
			if last = p.Status; last == http.StatusTooManyRequests {
				p.expect(t, "rate limited", http.StatusTooManyRequests, "Too many attempts. Please wait")
				if p.Header.Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
				break
			}
		}
		if last != http.StatusTooManyRequests {
			t.Errorf("12 unseal attempts were all let through (last %d)", last)
		}
	})
}
