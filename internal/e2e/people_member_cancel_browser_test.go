package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/people"
	"solidarity/internal/testkit"
)

// A member on a paid tier with recurring dues cancels their membership, in each language,
// on a 360 px screen: the member page, the confirmation page (with the note on card gifts)
// and the page after cancelling pass axe-core, and nothing scrolls sideways. (The pages
// need no JavaScript: the app tests go through them with none; axe itself needs it.)
func TestMemberCancelPagesAccessible(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		publicFixtures(t, a)
		ctx0 := context.Background()
		sys := auth.System("e2e")
		tiers, err := a.People.Tiers(ctx0, true)
		if err != nil {
			t.Fatal(err)
		}
		var paid people.Tier
		for _, tier := range tiers {
			if tier.Paid() {
				paid = tier
			}
		}
		for _, lang := range langs {
			t.Run(lang, func(t *testing.T) {
				tr := a.Catalog.Localizer(lang)
				email := "socia-" + lang + "@example.org"
				p, err := a.People.Create(ctx0, sys, people.PersonInput{GivenName: "Socia", Emails: []string{email}, Language: lang})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := a.People.SetMembership(ctx0, sys, p.ID, people.MembershipInput{TierID: paid.ID, Status: people.MemberActive}); err != nil {
					t.Fatal(err)
				}
				ctx := testkit.BrowserSession(t, browser, testkit.SessionOptions{})
				testkit.Viewport(t, ctx, 360, 740, 1)
				check := func(key string) {
					t.Helper()
					if got := text(t, ctx, "h1"); got != tr.T(key) {
						t.Errorf("heading %q, want %q", got, tr.T(key))
					}
					if got := eval[string](t, ctx, "document.documentElement.lang"); got != lang {
						t.Errorf("<html lang=%q>, want %q", got, lang)
					}
					scroll := eval[[]int](t, ctx, "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
					if scroll[0] > scroll[1] {
						t.Errorf("%s scrolls sideways at 360 px: %d px of content", key, scroll[0])
					}
					testkit.Axe(t, ctx)
				}

				open(t, ctx, baseURL+people.MemberPath+"?lang="+lang)
				typeInto(t, ctx, "#email", email)
				submit(t, ctx, `form[action="/member/signin"]`, 200)
				open(t, ctx, baseURL+publicMailedPath(t, a, email, "people.member_signin"))
				submit(t, ctx, "form.public-form", 200)
				check("public.member.title")

				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`main a[href="/member/cancel"]`))); err != nil {
					t.Fatal(err)
				}
				if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`form[action="/member/cancel"]`))); err != nil {
					t.Fatal(err)
				}
				check("public.cancel.title")
				if got := text(t, ctx, "#cancel-recurring"); got != tr.T("public.cancel.recurring") {
					t.Errorf("card gift note %q", got)
				}
				submit(t, ctx, `form[action="/member/cancel"]`, 200)
				check("public.member.title")
				if got := text(t, ctx, "main .flash"); got != tr.T("public.cancel.done") {
					t.Errorf("after cancelling the notice is %q", got)
				}
				got, err := a.People.Get(ctx0, sys, p.ID)
				if err != nil || got.Membership == nil || got.Membership.Status != people.MemberCancelled {
					t.Errorf("after cancelling in the browser: %+v, %v", got.Membership, err)
				}
			})
		}
	})
}
