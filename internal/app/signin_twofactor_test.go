package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/auth"
)

// enrolTOTP sets up an authenticator app through the pages for the visitor's session and
// returns its secret and the recovery codes shown.
func enrolTOTP(t *testing.T, a *app.App, v *visitor, next string) (string, []string) {
	t.Helper()
	setup := v.get("/account/two-factor")
	must(t, "set-up page", setup, http.StatusOK, en(a, "signin.two_factor.app_title"), `src="data:image/png;base64,`,
		`alt="`+en(a, "signin.two_factor.qr_alt")+`"`, `autocomplete="one-time-code"`, `inputmode="numeric"`)
	secret := secretOn(t, setup)
	if !strings.Contains(setup.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("set-up page Cache-Control = %q, want no-store", setup.Header.Get("Cache-Control"))
	}

	// A mistyped code shows the same key again, not a new one the app does not know.
	wrong := v.post("/account/two-factor", url.Values{"code": {"000000"}, "next": {next}})
	must(t, "wrong first code", wrong, http.StatusUnprocessableEntity, en(a, "auth.second_factor.invalid"),
		`aria-describedby="code-hint code-error"`, `href="#code"`)
	if again := secretOn(t, wrong); again != secret {
		t.Fatalf("after a wrong code the page shows key %s, want the same %s", again, secret)
	}

	done := v.post("/account/two-factor", url.Values{"code": {codeAt(t, secret, 0)}, "next": {next}})
	must(t, "recovery codes", done, http.StatusOK, en(a, "signin.recovery.title"), en(a, "signin.recovery.once"),
		`href="`+next+`"`)
	codes := recoveryCodesOn(done)
	if len(codes) != auth.RecoveryCodes {
		t.Fatalf("the page shows %d recovery codes, want %d", len(codes), auth.RecoveryCodes)
	}
	return secret, codes
}

func TestTOTPAndRecoveryCodeSignIn(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		account(t, a, "dora@example.org", "Dora Organizer", auth.RoleOrganizer)
		v := newVisitor(t, a, "198.51.100.40")
		v.signIn("dora@example.org", passphrase, "/dashboard")
		secret, codes := enrolTOTP(t, a, v, "/account")
		must(t, "account with an app", v.get("/account"), http.StatusOK, en(a, "signin.account.totp_on"),
			a.Catalog.Localizer("en").N("signin.account.recovery_left", 10))
		v.post("/logout", nil)

		// The password alone now leads to the second step, which keeps the page asked for.
		r := v.post("/login", url.Values{"email": {"dora@example.org"}, "password": {passphrase}, "next": {"/account"}})
		if r.Location != "/login/second-factor?next=%2Faccount" {
			t.Fatalf("password step redirected to %q", r.Location)
		}
		pending := v.cookies["sid"]
		if g := v.get("/account"); g.Status != http.StatusSeeOther || g.Location != "/login/second-factor" {
			t.Errorf("guarded page during the second step: %d %q", g.Status, g.Location)
		}
		step := v.follow(r)
		must(t, "second step", step, http.StatusOK, en(a, "signin.second_factor.code_label"), `autocomplete="one-time-code"`,
			`inputmode="numeric"`, `name="next" value="/account"`, en(a, "signin.second_factor.use_recovery"), "Dora Organizer")
		mustNot(t, "second step without passkeys", step, "passkeys.js")

		wrong := v.post("/login/second-factor", url.Values{"code": {"123456"}, "next": {"/account"}})
		must(t, "wrong code", wrong, http.StatusUnprocessableEntity, en(a, "auth.second_factor.invalid"), `role="alert"`)

		// The code of the next time step: the enrolment used this one's.
		ok := v.post("/login/second-factor", url.Values{"code": {codeAt(t, secret, 30*time.Second)}, "next": {"/account"}})
		if ok.Status != http.StatusSeeOther || ok.Location != "/account" {
			t.Fatalf("right code: %d %q\n%s", ok.Status, ok.Location, ok.Body)
		}
		if v.cookies["sid"] == pending || v.cookies["sid"] == "" {
			t.Error("the session token was not replaced when the second step succeeded")
		}
		if _, err := a.Auth.Session(context.Background(), pending); err == nil {
			t.Error("the token of the password step still works")
		}
		must(t, "signed in", v.get("/account"), http.StatusOK, "dora@example.org")
		v.post("/logout", nil)

		// A recovery code signs in once; used again it is refused.
		for i, want := range []int{http.StatusSeeOther, http.StatusUnprocessableEntity} {
			v.signIn("dora@example.org", passphrase, "/login/second-factor?next=%2Fdashboard")
			page := v.get("/login/second-factor?method=recovery")
			must(t, "recovery step", page, http.StatusOK, en(a, "signin.second_factor.recovery_label"),
				`inputmode="text"`, `name="method" value="recovery"`, en(a, "signin.second_factor.use_app"))
			r := v.post("/login/second-factor", url.Values{"code": {strings.ToUpper(codes[0])}, "method": {"recovery"}})
			if r.Status != want {
				t.Fatalf("recovery code, try %d: status %d, want %d\n%s", i+1, r.Status, want, r.Body)
			}
			if want == http.StatusSeeOther {
				must(t, "after a recovery code", v.get("/account"), http.StatusOK,
					a.Catalog.Localizer("en").N("signin.account.recovery_left", 9))
				v.post("/logout", nil)
			} else {
				must(t, "recovery code reused", r, r.Status, en(a, "auth.second_factor.invalid"), `name="method" value="recovery"`)
			}
		}
	})
}

func TestEnrolmentRequiredForSensitiveRole(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		account(t, a, "dani@example.org", "Dani Dispatcher", auth.RoleDispatcher)
		v := newVisitor(t, a, "198.51.100.50")
		r := v.post("/login", url.Values{"email": {"dani@example.org"}, "password": {passphrase}, "next": {"/account"}})
		if r.Status != http.StatusSeeOther || r.Location != "/account/two-factor?next=%2Faccount" {
			t.Fatalf("sensitive role without two-factor: %d %q, want the set-up page", r.Status, r.Location)
		}
		// Nothing else is reachable before enrolling.
		if g := v.get("/account"); g.Status != http.StatusSeeOther || g.Location != "/account/two-factor" {
			t.Errorf("guarded page while enrolling: %d %q", g.Status, g.Location)
		}
		if g := v.post("/account/password", url.Values{}); g.Status != http.StatusUnauthorized {
			t.Errorf("form post while enrolling: %d, want 401", g.Status)
		}
		if g := v.get("/login/second-factor"); g.Status != http.StatusSeeOther || !strings.HasPrefix(g.Location, "/account/two-factor") {
			t.Errorf("second step while enrolling: %d %q", g.Status, g.Location)
		}
		page := v.get("/account/two-factor?next=%2Faccount")
		must(t, "required set-up", page, http.StatusOK, en(a, "auth.session.enrol"), `name="next" value="/account"`)
		before := v.cookies["sid"]
		_, codes := enrolTOTP(t, a, v, "/account")
		if v.cookies["sid"] == before {
			t.Error("enrolling did not replace the session token")
		}
		if len(codes) != 10 {
			t.Fatalf("%d recovery codes", len(codes))
		}
		must(t, "signed in after enrolling", v.get("/account"), http.StatusOK, "Dani Dispatcher", en(a, "auth.role.dispatcher"))

		// The last factor of a sensitive role stays; regenerating codes shows ten new ones.
		must(t, "remove last factor", v.post("/account/totp/remove", nil), http.StatusConflict,
			en(a, "auth.second_factor.required"))
		fresh := v.post("/account/recovery-codes", nil)
		must(t, "new recovery codes", fresh, http.StatusOK, en(a, "signin.recovery.once"), `href="/account"`)
		if got := recoveryCodesOn(fresh); len(got) != 10 || got[0] == codes[0] {
			t.Errorf("regenerated codes = %v, want ten new ones", got)
		}
	})
}

func TestTwoFactorStepsNeedTheirSession(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		v := newVisitor(t, a, "198.51.100.60")
		for _, path := range []string{"/login/second-factor", "/account/two-factor"} {
			if r := v.get(path); r.Status != http.StatusSeeOther || r.Location != "/login" {
				t.Errorf("GET %s without a session: %d %q, want a redirect to /login", path, r.Status, r.Location)
			}
			if r := v.post(path, url.Values{"code": {"123456"}}); r.Status != http.StatusSeeOther || r.Location != "/login" {
				t.Errorf("POST %s without a session: %d %q, want a redirect to /login", path, r.Status, r.Location)
			}
		}
		// An ended session is told so.
		v.cookies["sid"] = strings.Repeat("A", 43)
		r := v.get("/login/second-factor")
		if r.Status != http.StatusSeeOther || r.Location != "/login" {
			t.Fatalf("ended session: %d %q", r.Status, r.Location)
		}
		must(t, "ended session", v.follow(r), http.StatusOK, en(a, "auth.session.expired"))

		// The passkey endpoints answer JSON that sends the script to the right step.
		for _, path := range []string{"/login/passkey/begin", "/account/passkeys/begin"} {
			r := v.postJSON(path, "{}")
			if r.Status != http.StatusBadRequest || jsonOf(t, r)["signIn"] != "/login" {
				t.Errorf("%s without a session: %d %s", path, r.Status, r.Body)
			}
		}
		account(t, a, "eli@example.org", "Eli Member", auth.RoleMember)
		w := newVisitor(t, a, "198.51.100.61")
		w.signIn("eli@example.org", passphrase, "/dashboard")
		begin := w.postJSON("/account/passkeys/begin", "{}")
		if begin.Status != http.StatusOK {
			t.Fatalf("begin passkey registration: %d %s", begin.Status, begin.Body)
		}
		if pk, _ := jsonOf(t, begin)["publicKey"].(map[string]any); pk == nil || pk["challenge"] == nil {
			t.Errorf("registration options lack a challenge: %s", begin.Body)
		}
		bad := w.postJSON("/account/passkeys/finish", `{"name":"laptop","credential":{"id":"x"}}`)
		if m := jsonOf(t, bad); bad.Status != http.StatusUnprocessableEntity || m["error"] != a.Catalog.Localizer("en").T("auth.passkey.failed") {
			t.Errorf("forged passkey: %d %s", bad.Status, bad.Body)
		}
		noName := w.postJSON("/account/passkeys/finish", `{"name":" ","credential":{}}`)
		if m := jsonOf(t, noName); noName.Status != http.StatusUnprocessableEntity || m["field"] != "name" {
			t.Errorf("passkey without a name: %d %s", noName.Status, noName.Body)
		}
		enrolTOTP(t, a, w, "/account")
		w.post("/logout", nil)
		w.signIn("eli@example.org", passphrase, "/login/second-factor?next=%2Fdashboard")
		// Waiting for the second factor: adding a factor is refused, and no passkey is there to use.
		r = w.postJSON("/account/passkeys/begin", "{}")
		if r.Status != http.StatusBadRequest || jsonOf(t, r)["signIn"] != "/login/second-factor" {
			t.Errorf("registration during the second step: %d %s", r.Status, r.Body)
		}
		if g := w.get("/account/two-factor"); g.Status != http.StatusSeeOther || !strings.HasPrefix(g.Location, "/login/second-factor") {
			t.Errorf("set-up page during the second step: %d %q", g.Status, g.Location)
		}
		r = w.postJSON("/login/passkey/begin", "{}")
		if m := jsonOf(t, r); r.Status != http.StatusNotFound || m["error"] != a.Catalog.Localizer("en").T("auth.passkey.none") {
			t.Errorf("passkey sign-in without passkeys: %d %s", r.Status, r.Body)
		}
	})
}
