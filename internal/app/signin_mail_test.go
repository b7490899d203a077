package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
)

func TestForgotAndResetPassword(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		account(t, a, "hana@example.org", "Hana Member", auth.RoleMember)
		v := newVisitor(t, a, "198.51.100.90")
		signedIn := newVisitor(t, a, "198.51.100.91")
		signedIn.signIn("hana@example.org", passphrase, "/dashboard")

		must(t, "forgot form", v.get("/password/forgot"), http.StatusOK, en(a, "signin.forgot.intro"), `autocomplete="username"`)
		must(t, "malformed address", v.post("/password/forgot", url.Values{"email": {"not an address"}}),
			http.StatusUnprocessableEntity, en(a, "auth.email.invalid"), `value="not an address"`, `aria-invalid="true"`)

		// The same answer for an unknown and a known address.
		var answers []string
		for _, email := range []string{"nobody@example.org", "hana@example.org"} {
			r := v.post("/password/forgot", url.Values{"email": {email}})
			if r.Status != http.StatusSeeOther || r.Location != "/password/forgot" {
				t.Fatalf("ask for %s: %d %q", email, r.Status, r.Location)
			}
			page := v.follow(r)
			must(t, "sent", page, http.StatusOK, en(a, "signin.forgot.sent"))
			answers = append(answers, page.Body)
		}
		if answers[0] != answers[1] {
			t.Error("the answers for an unknown and a known address differ")
		}

		link := mailedPath(t, a, "hana@example.org", "auth.reset")
		if !strings.HasPrefix(link, auth.ResetPath) {
			t.Fatalf("reset link %q does not start with %s", link, auth.ResetPath)
		}
		form := v.get(link)
		must(t, "reset form", form, http.StatusOK, en(a, "signin.reset.intro"), `autocomplete="new-password"`, `action="`+link+`"`)

		const newPass = "copper kettles hum at dawn"
		must(t, "mismatch", v.post(link, url.Values{"password": {newPass}, "confirm": {newPass + "x"}}),
			http.StatusUnprocessableEntity, en(a, "signin.password.mismatch"), `href="#confirm"`)
		must(t, "too short", v.post(link, url.Values{"password": {"short"}, "confirm": {"short"}}),
			http.StatusUnprocessableEntity, en(a, "auth.password.too_short"), `id="password-error"`)
		r := v.post(link, url.Values{"password": {newPass}, "confirm": {newPass}})
		if r.Status != http.StatusSeeOther || r.Location != "/login" {
			t.Fatalf("reset: %d %q\n%s", r.Status, r.Location, r.Body)
		}
		must(t, "after reset", v.follow(r), http.StatusOK, en(a, "signin.reset.done"))
		if g := signedIn.get("/account"); g.Status != http.StatusSeeOther {
			t.Errorf("a session survived the reset: %d", g.Status)
		}
		must(t, "old password", v.post("/login", url.Values{"email": {"hana@example.org"}, "password": {passphrase}}),
			http.StatusUnprocessableEntity, en(a, auth.KeySignInFailed))
		v.signIn("hana@example.org", newPass, "/dashboard")

		// The link works once; a made-up one is refused as clearly.
		must(t, "used link", v.get(link), http.StatusNotFound, en(a, "auth.reset.invalid"), `href="/password/forgot"`)
		mustNot(t, "used link", v.get(link), `type="password"`)
		must(t, "used link, posted", v.post(link, url.Values{"password": {newPass}, "confirm": {newPass}}),
			http.StatusNotFound, en(a, "auth.reset.invalid"))
		must(t, "made-up link", v.get(auth.ResetPath+"garbage"), http.StatusNotFound, en(a, "auth.reset.invalid"))
	})
}

func TestAcceptInvitation(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		if _, err := a.Auth.Invite(ctx, auth.System("test"), auth.NewInvitation{Email: "ines@example.org", Role: auth.RoleResearcher, Locale: "es"}); err != nil {
			t.Fatal(err)
		}
		link := mailedPath(t, a, "ines@example.org", "auth.invite")
		if !strings.HasPrefix(link, auth.InvitationPath) {
			t.Fatalf("invitation link %q does not start with %s", link, auth.InvitationPath)
		}
		v := newVisitor(t, a, "198.51.100.100")
		page := v.get(link + "?lang=es")
		must(t, "invitation", page, http.StatusOK, es(a, "signin.invitation.title"), "ines@example.org",
			es(a, "signin.invitation.intro", map[string]string{"Role": a.Catalog.Localizer("es").T("auth.role.researcher")}),
			`autocomplete="name"`, `autocomplete="new-password"`)

		const pass = "olive groves under summer rain"
		bad := v.post(link, url.Values{"name": {""}, "password": {pass}, "confirm": {pass}})
		must(t, "no name", bad, http.StatusUnprocessableEntity, es(a, "auth.name.required"), `href="#name"`, "ines@example.org")
		must(t, "mismatch", v.post(link, url.Values{"name": {"Inés"}, "password": {pass}, "confirm": {"other"}}),
			http.StatusUnprocessableEntity, es(a, "signin.password.mismatch"), `value="Inés"`)
		r := v.post(link, url.Values{"name": {"Inés Researcher"}, "password": {pass}, "confirm": {pass}})
		if r.Status != http.StatusSeeOther || r.Location != "/login" {
			t.Fatalf("accept: %d %q\n%s", r.Status, r.Location, r.Body)
		}
		must(t, "after accepting", v.follow(r), http.StatusOK, es(a, "signin.invitation.done"))
		v.signIn("ines@example.org", pass, "/dashboard")
		must(t, "new account", v.get("/account"), http.StatusOK, "Inés Researcher", es(a, "auth.role.researcher"))
		must(t, "used invitation", v.get(link), http.StatusNotFound, es(a, "auth.invitation.invalid"))
		mustNot(t, "used invitation", v.get(link), `type="password"`)
	})
}
