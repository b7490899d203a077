package e2e

import (
	"context"
	"net/url"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/testkit"
)

var publicLinkRe = regexp.MustCompile(`https?://[^\s"<>]+`)

// publicMailedPath returns the path of the link in the newest mail of purpose to address.
func publicMailedPath(t *testing.T, a *app.App, to, purpose string) string {
	t.Helper()
	list, err := a.Notify.Outbox(context.Background(), notify.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range list.Deliveries {
		if d.To == to && d.Purpose == purpose {
			u, err := url.Parse(publicLinkRe.FindString(d.Text))
			if err != nil || u.Path == "" {
				t.Fatalf("no link in the %s mail: %q", purpose, d.Text)
			}
			return u.Path
		}
	}
	t.Fatalf("no %s mail to %s", purpose, to)
	return ""
}

// publicFixtures gives a node a free and a paid tier and two listed organizations.
func publicFixtures(t *testing.T, a *app.App) {
	t.Helper()
	ctx := context.Background()
	sys := auth.System("e2e")
	for _, tier := range []people.Tier{
		{NameEn: "Community member", NameEs: "Miembro comunitario", Period: people.PeriodFree, Active: true},
		{NameEn: "Sustaining member", NameEs: "Miembro sostenedor", AmountCents: 1500, Currency: "USD", Period: people.PeriodYearly, Active: true},
	} {
		if _, err := a.People.SaveTier(ctx, sys, 0, tier); err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range []people.OrganizationInput{
		{Name: "Austin Sanctuary Network", Kind: people.OrgMember, Region: "TX", Website: "https://asn.example.org",
			SummaryEn: "Accompaniment in Central Texas.", SummaryEs: "Acompañamiento en el centro de Texas.", Listed: true},
		{Name: "Casa del Migrante", Kind: people.OrgInternational, Country: "MX", SummaryEs: "Albergue en Tijuana.", Listed: true},
	} {
		if _, err := a.People.SaveOrganization(ctx, sys, 0, o); err != nil {
			t.Fatal(err)
		}
	}
}

// Someone joins in Spanish with JavaScript off, then confirms their address from the mail
// with JavaScript still off.
func TestJoinInSpanishWithoutJavaScript(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		publicFixtures(t, a)
		es := a.Catalog.Localizer("es")
		ctx := testkit.BrowserSession(t, browser, testkit.SessionOptions{NoJavaScript: true})

		open(t, ctx, baseURL+"/join?lang=es")
		if got := text(t, ctx, "h1"); got != es.T("public.join.title") {
			t.Fatalf("join heading %q, want %q", got, es.T("public.join.title"))
		}
		typeInto(t, ctx, "#given_name", "Rosa")
		typeInto(t, ctx, "#family_name", "Díaz")
		typeInto(t, ctx, "#email", "rosa@example.org")
		typeInto(t, ctx, "#zip", "78701")
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#email_opt_in"))); err != nil {
			t.Fatal(err)
		}
		submit(t, ctx, `form[action="/join"]`, 200)
		if got := text(t, ctx, "h1"); got != es.T("public.thanks.title") {
			t.Fatalf("after joining the heading is %q, want %q", got, es.T("public.thanks.title"))
		}
		page, err := a.People.Records(context.Background(), auth.System("e2e"), people.RecordQuery{Email: "rosa@example.org"})
		if err != nil || len(page.People) != 1 {
			t.Fatalf("joined person: %+v, %v", page, err)
		}
		if p := page.People[0]; p.Language != "es" || p.ConsentFor(people.ChannelEmail).Status != people.ConsentPending {
			t.Errorf("joined person = %+v", p)
		}

		open(t, ctx, baseURL+publicMailedPath(t, a, "rosa@example.org", "people.join_confirm"))
		submit(t, ctx, "form.public-form", 200)
		if got := text(t, ctx, "h1"); got != es.T("public.confirmed.title") {
			t.Fatalf("after confirming the heading is %q, want %q", got, es.T("public.confirmed.title"))
		}
		page, _ = a.People.Records(context.Background(), auth.System("e2e"), people.RecordQuery{Email: "rosa@example.org"})
		if c := page.People[0].ConsentFor(people.ChannelEmail); c.Status != people.ConsentGranted {
			t.Errorf("e-mail consent after confirming = %+v", c)
		}
	})
}

// The public pages pass axe-core in both languages: the Join form (empty and with errors),
// the thank-you page, the directory, and the member pages from the sign-in form to leaving.
func TestPublicPagesAccessible(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		publicFixtures(t, a)
		for _, lang := range langs {
			t.Run(lang, func(t *testing.T) {
				tr := a.Catalog.Localizer(lang)
				ctx := testkit.BrowserSession(t, browser, testkit.SessionOptions{})
				heading := func(key string) {
					t.Helper()
					if got := text(t, ctx, "h1"); got != tr.T(key) {
						t.Errorf("heading %q, want %q", got, tr.T(key))
					}
					if got := eval[string](t, ctx, "document.documentElement.lang"); got != lang {
						t.Errorf("<html lang=%q>, want %q", got, lang)
					}
					testkit.Axe(t, ctx)
				}
				email := "vecina-" + lang + "@example.org"

				open(t, ctx, baseURL+"/join?lang="+lang)
				heading("public.join.title")
				typeInto(t, ctx, "#email", "not-an-address")
				submit(t, ctx, `form[action="/join"]`, 422)
				heading("public.join.title")
				typeInto(t, ctx, "#given_name", "Vecina")
				if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#email"), email)); err != nil {
					t.Fatal(err)
				}
				submit(t, ctx, `form[action="/join"]`, 200)
				heading("public.thanks.title")

				open(t, ctx, baseURL+"/network")
				heading("public.network.title")
				open(t, ctx, baseURL+"/network?region=TX")
				heading("public.network.title")

				open(t, ctx, baseURL+publicMailedPath(t, a, email, "people.join_confirm"))
				heading("public.confirm.title")
				submit(t, ctx, "form.public-form", 200)
				heading("public.confirmed.title")

				open(t, ctx, baseURL+people.MemberPath)
				heading("public.signin.title")
				typeInto(t, ctx, "#email", email)
				submit(t, ctx, `form[action="/member/signin"]`, 200)
				heading("public.signin.title")
				open(t, ctx, baseURL+publicMailedPath(t, a, email, "people.member_signin"))
				heading("public.link.title")
				submit(t, ctx, "form.public-form", 200)
				heading("public.member.title")
				if got := text(t, ctx, "main .flash"); got != tr.T("public.member.welcome") {
					t.Errorf("after signing in the notice is %q", got)
				}
				if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#phone"), "12")); err != nil {
					t.Fatal(err)
				}
				submit(t, ctx, `form[action="/member"]`, 422)
				heading("public.member.title")

				open(t, ctx, baseURL+"/member/leave")
				heading("public.leave.title")
				submit(t, ctx, `form[action="/member/leave"]`, 200)
				if got := text(t, ctx, "main .flash"); got != tr.T("public.leave.done") {
					t.Errorf("after leaving the notice is %q", got)
				}
			})
		}
	})
}
