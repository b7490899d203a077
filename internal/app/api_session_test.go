package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"solidarity/internal/auth"
)

// apiAs calls the API with a staff session cookie (no key), from this site or from another.
func apiAs(t *testing.T, h http.Handler, sid, method, path, body, origin string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
	}
	if sid != "" {
		req.AddCookie(&http.Cookie{Name: "sid", Value: sid})
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// A dispatcher signed in with two-factor reaches the reports API with their own
// permissions, which no API key can hold; a partner's key may only send reports; a
// cross-site page cannot ride the dispatcher's session; nobody anonymous gets in.
func TestAPIWithStaffSessionAndPartnerKey(t *testing.T) {
	a := openApp(t)
	if err := a.Vault.InitEphemeral(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := a.Handler()
	sid := signInAs(t, a, auth.RoleDispatcher)

	if rec := apiAs(t, h, sid, "GET", "/api/v1/reports", "", ""); rec.Code != http.StatusOK {
		t.Fatalf("dispatcher session lists reports: %d %s", rec.Code, rec.Body)
	}
	if rec := apiAs(t, h, sid, "POST", "/api/v1/reports", `{"kind":"home","zip":"78702"}`, "https://evil.example"); rec.Code != http.StatusForbidden {
		t.Fatalf("cross-site POST with the dispatcher's cookie: %d", rec.Code)
	}
	if rec := apiAs(t, h, "", "GET", "/api/v1/reports", "", ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("anonymous: %d", rec.Code)
	}

	key := pubKey(t, a, auth.RolePartner)
	if r := pubAPI(t, a, "POST", "/api/v1/reports", key, `{"kind":"workplace","zip":"78701","description":"Two vans at the plant gate"}`); r.Status != http.StatusCreated {
		t.Fatalf("partner key sends a report: %d %s", r.Status, r.Body)
	}
	if r := pubAPI(t, a, "GET", "/api/v1/reports", key, ""); r.Status != http.StatusForbidden {
		t.Fatalf("partner key reads reports: %d", r.Status)
	}
	if rec := apiAs(t, h, sid, "GET", "/api/v1/reports", "", ""); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"workplace"`) {
		t.Fatalf("the dispatcher sees the partner's report: %d %s", rec.Code, rec.Body)
	}
}
