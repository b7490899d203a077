package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

func TestVisibleCards(t *testing.T) {
	table := []card{
		{Access: SignedIn, Href: "/account"},
		{Access: Access(auth.PermAccountsManage), Href: "/admin"},
		{Access: Access(auth.PermLibraryRead), Href: "/library"},
	}
	hrefs := func(cs []card) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Href)
		}
		return out
	}
	cases := []struct {
		name  string
		actor auth.Actor
		want  []string
	}{
		{"administrator", auth.Actor{Kind: auth.KindAccount, ID: 1, Role: auth.RoleAdministrator}, []string{"/account", "/admin", "/library"}},
		{"member", auth.Actor{Kind: auth.KindAccount, ID: 2, Role: auth.RoleMember}, []string{"/account", "/library"}},
		{"visitor", auth.Public(), nil},
		{"API key of an administrator role sees no sensitive card", auth.Actor{Kind: auth.KindAPIKey, ID: 3, Role: auth.RoleAdministrator}, []string{"/library"}},
	}
	for _, c := range cases {
		if got := hrefs(visibleCards(c.actor, table)); !slices.Equal(got, c.want) {
			t.Errorf("%s: cards %v, want %v", c.name, got, c.want)
		}
	}
	// Every card of the dashboard and the index links to a route with the same access.
	s := newTestServer(t, nil)
	access := map[string]Access{}
	for _, rt := range s.routeTable() {
		if method, path, ok := strings.Cut(rt.pattern, " "); ok && method == "GET" {
			access[path] = rt.access
		}
	}
	for _, c := range append(dashboardCards(), adminCards()...) {
		if got, ok := access[c.Href]; ok && got != c.Access {
			t.Errorf("card %s shown to %q but the route needs %q", c.Href, c.Access, got)
		}
	}
}

func TestAdminInvalid(t *testing.T) {
	var l errs.List
	l.Add("after", "retention.after.too_long")
	l.Add("", "error.invalid")
	fe, ok := adminInvalid(l.Err(), map[string]string{"after": "days"})
	if !ok || fe.For("days") != "retention.after.too_long" || fe.For("after") != "" || len(fe.List()) != 2 {
		t.Errorf("renamed errors: %+v %v", fe.List(), ok)
	}
	if l[0].Field != "after" {
		t.Error("renaming changed the service's error")
	}
	if _, ok := adminInvalid(errs.Conflict("auth.account.self"), nil); ok {
		t.Error("a conflict was taken for a form error")
	}
	if _, ok := adminInvalid(nil, nil); ok {
		t.Error("no error was taken for a form error")
	}
}

func TestAdminParseDate(t *testing.T) {
	for in, want := range map[string]string{"": "0001-01-01", " 2027-01-31 ": "2027-01-31"} {
		got, ok := adminParseDate(in)
		if !ok || got.Format(adminDateLayout) != want || got.Location().String() != "UTC" {
			t.Errorf("adminParseDate(%q) = %v, %v", in, got, ok)
		}
	}
	for _, in := range []string{"31/01/2027", "2027-02-30", "tomorrow"} {
		if _, ok := adminParseDate(in); ok {
			t.Errorf("adminParseDate(%q) accepted", in)
		}
	}
}

func TestReadVaultForm(t *testing.T) {
	multipartBody := func(fields map[string]string, files map[string][]byte) *http.Request {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, v := range fields {
			_ = mw.WriteField(k, v)
		}
		for k, v := range files {
			fw, _ := mw.CreateFormFile(k, "key")
			_, _ = fw.Write(v)
		}
		_ = mw.Close()
		r := httptest.NewRequest(http.MethodPost, "/admin/vault/unseal", &body)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		return r
	}

	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("passphrase=open+sesame+please&x=1"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	f, err := readVaultForm(r)
	if err != nil || f.values["passphrase"] != "open sesame please" || len(f.files) != 0 {
		t.Errorf("url-encoded form: %+v, %v", f.values, err)
	}

	key := bytes.Repeat([]byte{7}, 32)
	f, err = readVaultForm(multipartBody(map[string]string{"current_passphrase": "old words here"}, map[string][]byte{"key_file": key}))
	if err != nil || !bytes.Equal(f.files["key_file"], key) || f.values["current_passphrase"] != "old words here" {
		t.Errorf("multipart form: %+v %v, %v", f.values, f.files, err)
	}
	f.wipe()
	if len(f.files) != 0 || !bytes.Equal(key, bytes.Repeat([]byte{7}, 32)) {
		t.Error("wipe left the form's copy, or touched the caller's bytes")
	}

	f, err = readVaultForm(multipartBody(nil, map[string][]byte{"key_file": {}}))
	if err != nil || len(f.files) != 0 {
		t.Errorf("an empty file input counts as a file: %v, %v", f.files, err)
	}
	_, err = readVaultForm(multipartBody(nil, map[string][]byte{"key_file": bytes.Repeat([]byte("a"), adminKeyFileMax+1)}))
	if fe := errs.Fields(err); len(fe) != 1 || fe[0].Field != "key_file" || fe[0].Key != "vault.keyfile.invalid" {
		t.Errorf("oversized key file: %v", err)
	}
}
