package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/giving"
	"solidarity/internal/people"
	"solidarity/internal/testkit"
)

// givsBrowserSetUp fills a node with what the books' pages show: receipt settings, a
// fund, a donor with gifts (one partly refunded) and an anonymous gift. It returns an
// organizer's session token, a gift's id and the donor's id.
func givsBrowserSetUp(t *testing.T, a *app.App) (token string, gift, donor int64) {
	t.Helper()
	ctx := context.Background()
	sys := auth.System("e2e")
	const email, password = "gabi@example.org", "tidal songs keep the lighthouse awake"
	if _, err := a.Auth.AdminCreateUser(ctx, email, "Gabi Giving", auth.RoleOrganizer, password); err != nil {
		t.Fatal(err)
	}
	g, err := a.Auth.SignIn(ctx, email, password, auth.Client{Key: "e2e-giving"})
	if err != nil || g.Stage != auth.StageFull {
		t.Fatalf("organizer sign-in: %+v %v", g, err)
	}
	if _, err := a.Giving.SaveSettings(ctx, sys, giving.Settings{LegalName: "Red Solidaria, Inc.", TaxStatementEn: "No goods or services were provided.",
		TaxStatementEs: "No se entregaron bienes ni servicios."}); err != nil {
		t.Fatal(err)
	}
	fund, err := a.Giving.SaveFund(ctx, sys, 0, giving.Fund{Code: "bail", NameEn: "Bail fund", NameEs: "Fondo de fianzas", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.People.Create(ctx, sys, people.PersonInput{GivenName: "María", FamilyName: "García", Emails: []string{"maria@example.org"}, Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	today := a.DB.Now()
	for i, amount := range []int64{5000, 2500, 10000} {
		id, err := a.Giving.RecordOfflineGift(ctx, sys, giving.OfflineGift{PersonID: p.ID, AmountCents: amount, Currency: "usd",
			Method: giving.OfflineMethods[i], FundID: fund.ID, ReceivedOn: today.AddDate(0, -i, 0), Reference: fmt.Sprintf("R-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		gift = id
	}
	if err := a.Giving.Refund(ctx, sys, giving.RefundRequest{GiftID: gift, AmountCents: 1000, Reason: "Asked back"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Giving.RecordOfflineGift(ctx, sys, giving.OfflineGift{AmountCents: 700, Currency: "usd", Method: giving.MethodCash, ReceivedOn: today}); err != nil {
		t.Fatal(err)
	}
	return g.Token, gift, p.ID
}

// An organizer goes through every page of the books, and the states their forms reach
// (a refused gift, a refund's confirmation), in Spanish and English, with zero axe-core
// violations; the public statement form passes too. The report's chart is readable
// without JavaScript: an inline SVG with its name, and the table of its figures.
func TestGivingStaffPagesAccessible(t *testing.T) {
	browser := testkit.Browser(t)
	eachNode(t, func(t *testing.T, baseURL string, a *app.App) {
		token, gift, donor := givsBrowserSetUp(t, a)
		page := adminBrowserSession(t, browser, baseURL, token, testkit.SessionOptions{})
		pages := []string{"/giving", "/giving/gifts", "/giving/gifts?method=check", "/giving/gifts/new", fmt.Sprintf("/giving/gifts/%d", gift),
			"/giving/reports", "/giving/reports?group=day", fmt.Sprintf("/giving/people/%d", donor), "/giving/funds", "/giving/settings",
			"/giving/statement", "/giving/statement/sent"}
		for _, lang := range langs {
			t.Run(lang, func(t *testing.T) {
				loc := a.Catalog.Localizer(lang)
				for _, p := range pages {
					sep := "?"
					if strings.Contains(p, "?") {
						sep = "&"
					}
					open(t, page, baseURL+p+sep+"lang="+lang)
					if got := eval[string](t, page, "document.documentElement.lang"); got != lang {
						t.Errorf("%s: <html lang=%q>, want %q", p, got, lang)
					}
					testkit.Axe(t, page)
				}

				// The gift form sent back with a bad amount.
				open(t, page, baseURL+"/giving/gifts/new")
				adminType(t, page, "#f-amount", "ten dollars")
				adminSubmit(t, page, `form[action="/giving/gifts"] button[type="submit"]`, 422)
				if got := text(t, page, ".admin-alert li"); got != loc.T("giving.offline.amount_format") {
					t.Errorf("the error summary says %q", got)
				}
				testkit.Axe(t, page)

				// A refund asks first.
				open(t, page, fmt.Sprintf("%s/giving/gifts/%d", baseURL, gift))
				adminType(t, page, "#f-amount", "1")
				adminSubmit(t, page, `form[action$="/refund"] button[type="submit"]`, 200)
				if got := text(t, page, "main h1"); got != loc.T("givs.refund.confirm_title") {
					t.Errorf("the refund asks %q", got)
				}
				testkit.Axe(t, page)
			})
		}

		// Without JavaScript the chart is still there, named, with its table.
		plain := adminBrowserSession(t, browser, baseURL, token, testkit.SessionOptions{NoJavaScript: true})
		open(t, plain, baseURL+"/giving/reports?lang=en")
		html, err := chromedp.Run(plain, chromedp.OuterHTML(chromedp.CSS("main")))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`<svg`, `role="img"`, `<title id="givs-chart-title">`, `<table class="givs-data">`, "$172"} {
			if !strings.Contains(html, want) {
				t.Errorf("the report without JavaScript lacks %q", want)
			}
		}
	})
}
