package app_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/people"
)

// Someone joins as a supporter, then confirms their address from the mail: e-mail consent
// waits for the link (double opt-in) and is granted by it, and the confirmation page
// speaks the language they chose.
func TestJoinAsSupporterAndConfirm(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		free, paid := pubTiers(t, a)
		v := newVisitor(t, a, "198.51.100.30")

		form := v.get("/join")
		must(t, "join form", form, http.StatusOK, en(a, "public.join.title"), en(a, "public.join.supporter"),
			en(a, "public.join.member_tier", map[string]any{"Name": "Community member"}), "Sustaining member", "$15",
			en(a, "people.period.yearly"), en(a, "public.join.paid_note"), en(a, "public.privacy.title"),
			en(a, "public.privacy.never"), `class="hp"`, `name="website" value="" tabindex="-1" autocomplete="off"`,
			`value="`+strconv.FormatInt(free.ID, 10)+`"`, `value="`+strconv.FormatInt(paid.ID, 10)+`"`)
		if strings.Contains(form.Body, `name="email_opt_in" value="yes" checked`) || strings.Contains(form.Body, `name="sms_opt_in" value="yes" checked`) {
			t.Error("a consent box is ticked before the visitor chose")
		}

		r := v.post("/join", pubJoinForm("rosa@example.org", url.Values{"email_opt_in": {"yes"}}))
		if r.Status != http.StatusSeeOther || r.Location != "/join/thanks" {
			t.Fatalf("join: %d %q, want a redirect to the thank-you page\n%s", r.Status, r.Location, r.Body)
		}
		must(t, "thank-you page", v.follow(r), http.StatusOK, en(a, "public.thanks.title"), en(a, "public.thanks.check_mail"))

		p := pubMust(t, a, "rosa@example.org")
		if p.GivenName != "Rosa" || p.Language != "es" || p.Address.ZIP != "78701" || p.CreatedVia != "join" || p.Membership != nil {
			t.Errorf("joined supporter = %+v", p)
		}
		if c := p.ConsentFor(people.ChannelEmail); c.Status != people.ConsentPending {
			t.Errorf("e-mail consent before confirming = %+v, want pending", c)
		}

		link := mailedPath(t, a, "rosa@example.org", "people.join_confirm")
		if !strings.HasPrefix(link, people.ConfirmPath) {
			t.Fatalf("confirmation link %q", link)
		}
		// Opening the link changes nothing: a button confirms.
		must(t, "confirmation page", v.get(link), http.StatusOK, en(a, "public.confirm.submit"), `action="`+link+`"`)
		if c := pubMust(t, a, "rosa@example.org").ConsentFor(people.ChannelEmail); c.Status != people.ConsentPending {
			t.Errorf("opening the link changed consent to %+v", c)
		}
		done := v.post(link, nil)
		if done.Status != http.StatusSeeOther || !strings.HasPrefix(done.Location, "/join/confirmed?") {
			t.Fatalf("confirm: %d %q", done.Status, done.Location)
		}
		must(t, "confirmed page", v.follow(done), http.StatusOK, es(a, "public.confirmed.title"), es(a, "public.confirmed.news"))
		c := pubMust(t, a, "rosa@example.org").ConsentFor(people.ChannelEmail)
		if c.Status != people.ConsentGranted || c.ConfirmedAt == nil || c.Method != people.MethodLink {
			t.Errorf("e-mail consent after confirming = %+v, want granted by link", c)
		}
		// A link works once.
		must(t, "used link", v.post(link, nil), http.StatusNotFound, es(a, "people.token.invalid"))
	})
}

// Members choose a tier: a free membership starts when the address is confirmed; a paid one
// stays pending (no payment is faked) and every page says so.
func TestJoinAsMember(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		free, paid := pubTiers(t, a)
		v := newVisitor(t, a, "198.51.100.31")

		r := v.post("/join", pubJoinForm("ana@example.org", url.Values{"tier": {strconv.FormatInt(free.ID, 10)}, "language": {"en"}}))
		if r.Status != http.StatusSeeOther || r.Location != "/join/thanks?tier="+strconv.FormatInt(free.ID, 10) {
			t.Fatalf("join free tier: %d %q\n%s", r.Status, r.Location, r.Body)
		}
		must(t, "thanks, free tier", v.follow(r), http.StatusOK, en(a, "public.thanks.free"), "Community member")
		if m := pubMust(t, a, "ana@example.org").Membership; m == nil || m.Status != people.MemberPending || m.TierID != free.ID {
			t.Fatalf("free membership before confirming = %+v", m)
		}
		link := mailedPath(t, a, "ana@example.org", "people.join_confirm")
		must(t, "confirmed, free tier", v.follow(v.post(link, nil)), http.StatusOK, en(a, "public.confirmed.member_active"))
		if m := pubMust(t, a, "ana@example.org").Membership; m == nil || m.Status != people.MemberActive {
			t.Errorf("free membership after confirming = %+v, want active", m)
		}

		r = v.post("/join", pubJoinForm("ben@example.org", url.Values{"tier": {strconv.FormatInt(paid.ID, 10)}, "language": {"en"}}))
		thanks := v.follow(r)
		must(t, "thanks, paid tier", thanks, http.StatusOK, "Sustaining member", "$15", en(a, "public.thanks.dues"))
		mustNot(t, "thanks, paid tier", thanks, en(a, "public.thanks.free"))
		link = mailedPath(t, a, "ben@example.org", "people.join_confirm")
		confirmed := v.follow(v.post(link, nil))
		must(t, "confirmed, paid tier", confirmed, http.StatusOK, en(a, "public.thanks.dues"))
		mustNot(t, "confirmed, paid tier", confirmed, en(a, "public.confirmed.member_active"))
		if m := pubMust(t, a, "ben@example.org").Membership; m == nil || m.Status != people.MemberPending || m.TierID != paid.ID {
			t.Errorf("paid membership after confirming = %+v, want still pending", m)
		}
	})
}

// The page never tells whether an address is known: joining with someone's address gets
// the same answer and changes nothing of theirs. A filled-in honeypot gets the answer of a
// success and stores nothing, sends nothing.
func TestJoinRevealsNothingAndCatchesRobots(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		v := newVisitor(t, a, "198.51.100.32")
		first := v.post("/join", pubJoinForm("rosa@example.org", nil))
		firstPage := v.follow(first)
		before := pubMust(t, a, "rosa@example.org")

		again := v.post("/join", pubJoinForm("rosa@example.org", url.Values{"given_name": {"Impostor"}, "phone": {"+1 512 555 0199"}}))
		if again.Status != first.Status || again.Location != first.Location {
			t.Errorf("known address: %d %q, first time %d %q", again.Status, again.Location, first.Status, first.Location)
		}
		if page := v.follow(again); page.Body != firstPage.Body {
			t.Error("the thank-you page differs for a known address")
		}
		after := pubMust(t, a, "rosa@example.org")
		if after.GivenName != "Rosa" || len(after.Phones) != 0 || pubCount(t, a) != 1 || !after.UpdatedAt.Equal(before.UpdatedAt) {
			t.Errorf("joining with a known address changed the record: %+v", after)
		}
		if n := pubMails(t, a, "rosa@example.org", "people.join_confirm"); n != 2 {
			t.Errorf("%d confirmation mails, want one per join", n)
		}

		robot := v.post("/join", pubJoinForm("robot@example.org", url.Values{"website": {"http://spam.example"}}))
		if robot.Status != first.Status || robot.Location != first.Location {
			t.Errorf("honeypot: %d %q, want the answer of a success %d %q", robot.Status, robot.Location, first.Status, first.Location)
		}
		if _, ok := pubFind(t, a, "robot@example.org"); ok || pubCount(t, a) != 1 {
			t.Error("the honeypot stored a person")
		}
		if n := pubMails(t, a, "robot@example.org", "people.join_confirm"); n != 0 {
			t.Error("the honeypot sent a mail")
		}
	})
}

// Bad input comes back translated, next to its field, with the values kept; nothing is
// stored and no mail leaves.
func TestJoinBadInput(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		v := newVisitor(t, a, "198.51.100.33")
		v.get("/join?lang=es")
		cases := []struct {
			name  string
			form  url.Values
			input string
			key   string
		}{
			{"bad e-mail", pubJoinForm("no-es-un-correo", nil), "email", "people.email.invalid"},
			{"no e-mail", pubJoinForm("", nil), "email", "people.email.required"},
			{"bad phone", pubJoinForm("luz@example.org", url.Values{"phone": {"12"}}), "phone", "people.phone.invalid"},
			{"bad ZIP", pubJoinForm("luz@example.org", url.Values{"zip": {"787$01"}}), "zip", "people.zip.invalid"},
			{"no name", pubJoinForm("luz@example.org", url.Values{"given_name": {" "}, "family_name": {""}}), "given_name", "people.name.required"},
			{"SMS without phone", pubJoinForm("luz@example.org", url.Values{"sms_opt_in": {"yes"}}), "phone", "people.phone.required_for_sms"},
			{"unknown tier", pubJoinForm("luz@example.org", url.Values{"tier": {"999"}}), "tier", "people.tier.unknown"},
			{"tier not a number", pubJoinForm("luz@example.org", url.Values{"tier": {"gold"}}), "tier", "people.tier.unknown"},
		}
		for _, c := range cases {
			r := v.post("/join", c.form)
			must(t, c.name, r, http.StatusUnprocessableEntity, pubT(a, "es", c.key), `role="alert"`, `href="#`+c.input+`"`,
				`id="`+c.input+`-error"`, es(a, "public.join.title"))
			if el := pubElement(r.Body, c.input); !strings.Contains(el, c.input+`-error`) ||
				c.input != "tier" && !strings.Contains(el, `aria-invalid="true"`) {
				t.Errorf("%s: the %s input is not tied to its error: %s", c.name, c.input, el)
			}
			if email := c.form.Get("email"); email != "" && !strings.Contains(r.Body, `value="`+email+`"`) {
				t.Errorf("%s: the e-mail typed is not kept", c.name)
			}
		}
		if n := pubCount(t, a); n != 0 {
			t.Errorf("bad input stored %d people", n)
		}
		if n := pubMails(t, a, "luz@example.org", "people.join_confirm"); n != 0 {
			t.Errorf("bad input sent %d mails", n)
		}
	})
}

// One client may join a few times (a family on one phone), then waits; everyone together
// may join JoinGlobalLimit times a minute.
func TestJoinRateLimits(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		pubAwayFromEdge(people.JoinClientWindow)
		v := newVisitor(t, a, "198.51.100.34")
		for i := range people.JoinClientLimit {
			r := v.post("/join", pubJoinForm("family"+strconv.Itoa(i)+"@example.org", nil))
			if r.Status != http.StatusSeeOther {
				t.Fatalf("join %d: %d, want 303", i+1, r.Status)
			}
		}
		over := v.post("/join", pubJoinForm("one-more@example.org", nil))
		must(t, "over the client limit", over, http.StatusTooManyRequests, `role="alert"`, `value="one-more@example.org"`)
		if over.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After on 429")
		}
		if !pubSaysWait(a, over) {
			t.Error("the 429 page does not say how long to wait")
		}
		if _, ok := pubFind(t, a, "one-more@example.org"); ok {
			t.Error("a join over the limit was stored")
		}
		// Another client is not held back by the first.
		if r := newVisitor(t, a, "198.51.100.35").post("/join", pubJoinForm("neighbour@example.org", nil)); r.Status != http.StatusSeeOther {
			t.Errorf("another client: %d, want 303", r.Status)
		}

		// Everyone together: spend the global budget of this window, then a fresh client
		// is turned away too. (The budget is spent through the limiter directly: 600 real
		// joins would only make the test slow.)
		pubAwayFromEdge(people.JoinGlobalWindow)
		for range people.JoinGlobalLimit {
			if _, _, err := a.Limiter.Allow(t.Context(), "join.global", "everyone", people.JoinGlobalLimit, people.JoinGlobalWindow); err != nil {
				t.Fatal(err)
			}
		}
		r := newVisitor(t, a, "198.51.100.36").post("/join", pubJoinForm("late@example.org", nil))
		must(t, "over the global limit", r, http.StatusTooManyRequests, en(a, "public.join.title"))
		if _, ok := pubFind(t, a, "late@example.org"); ok {
			t.Error("a join over the global limit was stored")
		}
	})
}
