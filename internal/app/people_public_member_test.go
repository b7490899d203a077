package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// pubMember creates a member with a free membership and returns their id.
func pubMember(t *testing.T, a *app.App, email string) int64 {
	t.Helper()
	ctx := context.Background()
	free, _ := pubTiers(t, a)
	p, err := a.People.Create(ctx, pubStaff, people.PersonInput{GivenName: "Marta", FamilyName: "Solís", Emails: []string{email},
		Address: people.Address{City: "Austin", State: "TX", ZIP: "78702", County: "Travis"}, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.People.SetMembership(ctx, pubStaff, p.ID, people.MembershipInput{TierID: free.ID, Status: people.MemberActive}); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// pubSignInLink asks for a sign-in link as v and returns its path from the outbox.
func pubSignInLink(t *testing.T, a *app.App, v *visitor, email string) string {
	t.Helper()
	r := v.post("/member/signin", url.Values{"email": {email}})
	if r.Status != http.StatusSeeOther || r.Location != people.MemberPath {
		t.Fatalf("ask for a link: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	return mailedPath(t, a, email, "people.member_signin")
}

// A member asks for a sign-in link (the answer is the same for an unknown address), opens
// it into a session of its own, sees and changes their details, and signs out.
func TestMemberSelfService(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		id := pubMember(t, a, "marta@example.org")
		v := newVisitor(t, a, "198.51.100.40")

		must(t, "member page without a session", v.get("/member"), http.StatusOK, en(a, "public.signin.title"), `action="/member/signin"`)
		known := v.post("/member/signin", url.Values{"email": {"Marta@Example.org"}})
		unknown := newVisitor(t, a, "198.51.100.41").post("/member/signin", url.Values{"email": {"nobody@example.org"}})
		if known.Status != http.StatusSeeOther || known.Location != unknown.Location || known.Status != unknown.Status ||
			pubSetCookie(known, "flash") != pubSetCookie(unknown, "flash") {
			t.Errorf("known and unknown addresses answered differently: %d %q / %d %q", known.Status, known.Location, unknown.Status, unknown.Location)
		}
		must(t, "after asking", v.follow(known), http.StatusOK, en(a, "public.signin.sent"))
		if n := pubMails(t, a, "nobody@example.org", "people.member_signin"); n != 0 {
			t.Error("a link went to an unknown address")
		}
		must(t, "malformed address", v.post("/member/signin", url.Values{"email": {"marta"}}), http.StatusUnprocessableEntity,
			en(a, "people.email.invalid"), `role="alert"`)

		link := mailedPath(t, a, "marta@example.org", "people.member_signin")
		if !strings.HasPrefix(link, people.SignInPath) {
			t.Fatalf("sign-in link %q", link)
		}
		must(t, "sign-in link page", v.get(link), http.StatusOK, en(a, "public.link.submit"), `action="`+link+`"`)
		in := v.post(link, nil)
		if in.Status != http.StatusSeeOther || in.Location != people.MemberPath {
			t.Fatalf("use the link: %d %q", in.Status, in.Location)
		}
		cookie := pubSetCookie(in, "member")
		for _, want := range []string{"Path=/member", "HttpOnly", "SameSite=Lax"} {
			if !strings.Contains(cookie, want) {
				t.Errorf("member cookie %q lacks %s", cookie, want)
			}
		}
		if pubSetCookie(in, "sid") != "" {
			t.Error("a member sign-in set a staff session cookie")
		}
		me := v.get("/member")
		must(t, "member page", me, http.StatusOK, en(a, "public.member.welcome"), `value="Marta"`, "marta@example.org",
			"Community member", en(a, "people.membership.status.active"), en(a, "people.consent.status.none"), `value="Travis"`)
		// The member session is no staff session.
		if r := v.get("/dashboard"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
			t.Errorf("a member session reached the staff dashboard: %d %q", r.Status, r.Location)
		}

		// Bad input comes back next to its field, nothing changed.
		bad := v.post("/member", url.Values{"given_name": {"Marta"}, "phone": {"12"}, "language": {"en"}})
		must(t, "bad phone", bad, http.StatusUnprocessableEntity, pubT(a, "en", "people.phone.invalid"), `role="alert"`,
			"marta@example.org", "Community member")
		saved := v.post("/member", url.Values{"given_name": {"Marta Inés"}, "family_name": {"Solís"}, "phone": {"512-555-0150"},
			"city": {"Austin"}, "state": {"TX"}, "zip": {"78702"}, "county": {"Travis"}, "language": {"es"}, "email_opt_in": {"yes"}})
		if saved.Status != http.StatusSeeOther || saved.Location != "/member?lang=es" {
			t.Fatalf("save: %d %q\n%s", saved.Status, saved.Location, saved.Body)
		}
		must(t, "after saving", v.follow(saved), http.StatusOK, es(a, "public.member.saved"), `value="Marta Inés"`, `value="&#43;15125550150"`,
			es(a, "people.consent.status.granted"))
		p, err := a.People.Get(context.Background(), pubStaff, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.GivenName != "Marta Inés" || p.PrimaryPhone() != "+15125550150" || p.Language != "es" || p.Address.County != "Travis" ||
			p.ConsentFor(people.ChannelEmail).Status != people.ConsentGranted {
			t.Errorf("after saving: %+v", p)
		}

		// Signing out ends the session; the link cannot be used again.
		out := v.post("/member/signout", nil)
		if out.Status != http.StatusSeeOther || out.Location != people.MemberPath {
			t.Fatalf("sign out: %d %q", out.Status, out.Location)
		}
		must(t, "after signing out", v.follow(out), http.StatusOK, es(a, "public.member.signed_out"), es(a, "public.signin.title"))
		must(t, "used link", v.post(link, nil), http.StatusNotFound, es(a, "people.token.invalid"))
		if r := v.post("/member", url.Values{"given_name": {"Someone"}}); r.Status != http.StatusSeeOther || r.Location != people.MemberPath {
			t.Errorf("saving without a session: %d %q, want back to the sign-in form", r.Status, r.Location)
		}
	})
}

// Leaving asks first, then deletes the person for real and ends the session.
func TestMemberLeaves(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		id := pubMember(t, a, "leo@example.org")
		v := newVisitor(t, a, "198.51.100.42")
		v.follow(v.post(pubSignInLink(t, a, v, "leo@example.org"), nil))

		must(t, "leave page", v.get("/member/leave"), http.StatusOK, en(a, "public.leave.title"), en(a, "public.leave.final"),
			`name="confirm" value="yes"`)
		must(t, "leave without confirming", v.post("/member/leave", nil), http.StatusOK, en(a, "public.leave.submit"))
		if _, err := a.People.Get(context.Background(), pubStaff, id); err != nil {
			t.Fatalf("the person is gone before confirming: %v", err)
		}
		gone := v.post("/member/leave", url.Values{"confirm": {"yes"}})
		if gone.Status != http.StatusSeeOther || gone.Location != "/" {
			t.Fatalf("leave: %d %q", gone.Status, gone.Location)
		}
		if c := pubSetCookie(gone, "member"); !strings.Contains(c, "Max-Age=0") {
			t.Errorf("leaving left the member cookie: %q", c)
		}
		must(t, "home after leaving", v.follow(gone), http.StatusOK, en(a, "public.leave.done"))
		if _, err := a.People.Get(context.Background(), pubStaff, id); errs.CodeOf(err) != errs.CodeNotFound {
			t.Errorf("after leaving, the person is still there: %v", err)
		}
		if _, ok := pubFind(t, a, "leo@example.org"); ok {
			t.Error("after leaving, the address still finds someone")
		}
		if r := v.get("/member/leave"); r.Status != http.StatusSeeOther || r.Location != people.MemberPath {
			t.Errorf("leave page after leaving: %d %q", r.Status, r.Location)
		}
	})
}

// Sign-in links for one address are limited whoever asks, so that nobody's inbox can be
// flooded through the form.
func TestMemberSignInLinkLimit(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		pubAwayFromEdge(people.SignInLinkEmailWindow)
		pubMember(t, a, "ines@example.org")
		for i := range people.SignInLinkEmailLimit {
			v := newVisitor(t, a, "198.51.100."+string(rune('1'+i))+"0")
			if r := v.post("/member/signin", url.Values{"email": {"ines@example.org"}}); r.Status != http.StatusSeeOther {
				t.Fatalf("request %d: %d", i+1, r.Status)
			}
		}
		over := newVisitor(t, a, "198.51.100.99").post("/member/signin", url.Values{"email": {"ines@example.org"}})
		must(t, "over the limit", over, http.StatusTooManyRequests, `role="alert"`)
		if !pubSaysWait(a, over) {
			t.Error("the 429 page does not say how long to wait")
		}
		if n := pubMails(t, a, "ines@example.org", "people.member_signin"); n != people.SignInLinkEmailLimit {
			t.Errorf("%d links sent, want %d", n, people.SignInLinkEmailLimit)
		}
	})
}
