package app_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/vault"
)

// A vault set up with a key file (from the command line) is unsealed on the page by
// uploading the file; the page asks for the file, not a passphrase.
func TestAdminVaultKeyFile(t *testing.T) {
	adminEachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		admin := adminAs(t, a, auth.RoleAdministrator)
		keyFile := vault.GenerateKeyFile()
		if err := a.Vault.Init(ctx, vault.KeyFile(keyFile)); err != nil {
			t.Fatal(err)
		}
		if err := a.Vault.Seal(ctx); err != nil {
			t.Fatal(err)
		}
		admin.get("/admin/vault").expect(t, "sealed key-file vault", http.StatusOK, admin.tr("admin.vault.kdf_keyfile"),
			`enctype="multipart/form-data"`, `name="key_file" type="file"`)

		upload := func(content []byte) adminPage {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			fw, err := mw.CreateFormFile("key_file", "vault.key")
			if err != nil {
				t.Fatal(err)
			}
			_, _ = fw.Write(content)
			_ = mw.Close()
			req := httptest.NewRequest(http.MethodPost, "/admin/vault/unseal", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return admin.send(req)
		}
		upload(vault.GenerateKeyFile()).expect(t, "another key file", http.StatusUnprocessableEntity, admin.tr("vault.keyfile.wrong"))
		upload(bytes.Repeat([]byte("k"), 5000)).expect(t, "a big file", http.StatusUnprocessableEntity, admin.tr("vault.keyfile.invalid"))
		if !a.Vault.Sealed() {
			t.Fatal("unsealed by a wrong file")
		}
		p := upload(keyFile)
		if p.Status != http.StatusSeeOther {
			t.Fatalf("right key file: %d\n%s", p.Status, adminExcerpt(p.Body))
		}
		if a.Vault.Sealed() {
			t.Fatal("still sealed after uploading the key file")
		}
		adminAudited(t, a, "vault.unseal")
	})
}
