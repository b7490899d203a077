package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
)

var endFormRe = regexp.MustCompile(`action="/account/sessions/(\d+)/end"`)

// otherSessionIDs reads the sessions the account page offers to end.
func otherSessionIDs(r answer) []string {
	var out []string
	for _, m := range endFormRe.FindAllStringSubmatch(r.Body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestWhereYouAreSignedIn(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		account(t, a, "fe@example.org", "Fe Member", auth.RoleMember)
		laptop := newVisitor(t, a, "198.51.100.70")
		phone := newVisitor(t, a, "198.51.100.71")
		phone.agent = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
		laptop.signIn("fe@example.org", passphrase, "/dashboard")
		phone.signIn("fe@example.org", passphrase, "/dashboard")

		page := laptop.get("/account")
		must(t, "sessions list", page, http.StatusOK, en(a, "signin.sessions.title"), "Chrome · Linux", "Firefox · Android",
			en(a, "signin.sessions.current_label"), en(a, "signin.sessions.end_others"), `<th scope="col">`)
		ids := otherSessionIDs(page)
		if len(ids) != 1 {
			t.Fatalf("the list offers to end %d sessions, want 1 (the phone's)", len(ids))
		}
		r := laptop.post("/account/sessions/"+ids[0]+"/end", nil)
		if r.Status != http.StatusSeeOther || r.Location != "/account" {
			t.Fatalf("end the phone's session: %d %q", r.Status, r.Location)
		}
		must(t, "after ending", laptop.follow(r), http.StatusOK, en(a, "signin.flash.session_ended"))
		if g := phone.get("/account"); g.Status != http.StatusSeeOther {
			t.Errorf("the ended session still works: %d", g.Status)
		}
		must(t, "end an unknown session", laptop.post("/account/sessions/999999/end", nil), http.StatusNotFound,
			en(a, "auth.session.not_found"))

		// The session in use is ended by signing out, not from the list.
		me, err := a.Auth.Session(context.Background(), laptop.cookies["sid"])
		if err != nil {
			t.Fatal(err)
		}
		must(t, "end the current session from the list", laptop.post("/account/sessions/"+strconv.FormatInt(me.SessionID, 10)+"/end", nil),
			http.StatusConflict, en(a, "signin.sessions.current"))

		// Sign out everywhere else keeps this browser in.
		phone.signIn("fe@example.org", passphrase, "/dashboard")
		tablet := newVisitor(t, a, "198.51.100.72")
		tablet.signIn("fe@example.org", passphrase, "/dashboard")
		r = laptop.post("/account/sessions/end-others", nil)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("sign out everywhere else: %d", r.Status)
		}
		after := laptop.follow(r)
		must(t, "after signing out elsewhere", after, http.StatusOK, en(a, "signin.flash.sessions_ended"))
		mustNot(t, "after signing out elsewhere", after, en(a, "signin.sessions.end_others"))
		for _, v := range []*visitor{phone, tablet} {
			if g := v.get("/account"); g.Status != http.StatusSeeOther {
				t.Errorf("a session elsewhere still works: %d", g.Status)
			}
		}
	})
}

func TestAccountPasswordAndLanguage(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		acc := account(t, a, "gil@example.org", "Gil Member", auth.RoleMember)
		v := newVisitor(t, a, "198.51.100.80")
		other := newVisitor(t, a, "198.51.100.81")
		v.signIn("gil@example.org", passphrase, "/dashboard")
		other.signIn("gil@example.org", passphrase, "/dashboard")

		page := v.get("/account")
		must(t, "account page", page, http.StatusOK, `autocomplete="current-password"`, `autocomplete="new-password"`,
			`<option value="es" lang="es">Español</option>`, en(a, "signin.account.totp_off"), en(a, "signin.account.no_passkeys"))

		const newPass = "lanterns drift over the quiet bay"
		wrong := v.post("/account/password", url.Values{"current": {"not my password!"}, "password": {newPass}})
		must(t, "wrong current password", wrong, http.StatusUnprocessableEntity, en(a, "auth.password.wrong"),
			`href="#current-password"`, `id="current-password-error"`, `aria-describedby="current-password-error"`)
		mustNot(t, "wrong current password", wrong, newPass, "not my password!")
		short := v.post("/account/password", url.Values{"current": {passphrase}, "password": {"short"}})
		must(t, "short password", short, http.StatusUnprocessableEntity, en(a, "auth.password.too_short"), `id="new-password-error"`)
		r := v.post("/account/password", url.Values{"current": {passphrase}, "password": {newPass}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("change password: %d\n%s", r.Status, r.Body)
		}
		must(t, "password changed", v.follow(r), http.StatusOK, en(a, "signin.flash.password_changed"))
		if g := other.get("/account"); g.Status != http.StatusSeeOther {
			t.Errorf("another session survived the password change: %d", g.Status)
		}
		newVisitor(t, a, "198.51.100.82").signIn("gil@example.org", newPass, "/dashboard")

		// Language: saved on the account and switched in this browser at once.
		bad := v.post("/account/language", url.Values{"locale": {"fr"}})
		must(t, "unknown language", bad, http.StatusUnprocessableEntity, en(a, "auth.locale.invalid"), `id="locale-error"`)
		r = v.post("/account/language", url.Values{"locale": {"es"}})
		if r.Status != http.StatusSeeOther || r.Location != "/account?lang=es" {
			t.Fatalf("save language: %d %q", r.Status, r.Location)
		}
		must(t, "account in Spanish", v.follow(r), http.StatusOK, `<html lang="es"`, es(a, "signin.account.title"),
			es(a, "signin.flash.language_saved"))
		got, err := a.Auth.Account(context.Background(), auth.System("test"), acc.ID)
		if err != nil || got.Locale != "es" {
			t.Errorf("account locale = %q (%v), want es", got.Locale, err)
		}
		// Removing an app that is not there is a clear not-found.
		must(t, "remove no app", v.post("/account/totp/remove", nil), http.StatusNotFound, es(a, "auth.totp.not_enabled"))
	})
}
