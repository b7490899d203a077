package app_test

import (
	"context"
	"html"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/ratelimit"
)

// pubStaff is the actor tests use to look at the CRM behind the public pages.
var pubStaff = auth.System("test")

// pubFind returns the person holding email, or fails; ok is false when nobody does.
func pubFind(t *testing.T, a *app.App, email string) (people.Person, bool) {
	t.Helper()
	ctx := context.Background()
	page, err := a.People.Records(ctx, pubStaff, people.RecordQuery{Email: email})
	if err != nil {
		t.Fatalf("find %s: %v", email, err)
	}
	if len(page.People) == 0 {
		return people.Person{}, false
	}
	return page.People[0], true
}

// pubMust returns the person holding email, failing when nobody does.
func pubMust(t *testing.T, a *app.App, email string) people.Person {
	t.Helper()
	p, ok := pubFind(t, a, email)
	if !ok {
		t.Fatalf("nobody holds %s", email)
	}
	return p
}

// pubCount is how many people the CRM holds.
func pubCount(t *testing.T, a *app.App) int {
	t.Helper()
	page, err := a.People.Records(context.Background(), pubStaff, people.RecordQuery{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

// pubMails counts the mails of purpose to address in the outbox.
func pubMails(t *testing.T, a *app.App, to, purpose string) int {
	t.Helper()
	list, err := a.Notify.Outbox(context.Background(), notify.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range list.Deliveries {
		if d.To == to && d.Purpose == purpose {
			n++
		}
	}
	return n
}

// pubTiers creates a free and a paid membership tier.
func pubTiers(t *testing.T, a *app.App) (free, paid people.Tier) {
	t.Helper()
	ctx := context.Background()
	free, err := a.People.SaveTier(ctx, pubStaff, 0, people.Tier{NameEn: "Community member", NameEs: "Miembro comunitario",
		Period: people.PeriodFree, Active: true, Position: 1})
	if err != nil {
		t.Fatal(err)
	}
	paid, err = a.People.SaveTier(ctx, pubStaff, 0, people.Tier{NameEn: "Sustaining member", NameEs: "Miembro sostenedor",
		AmountCents: 1500, Currency: "USD", Period: people.PeriodYearly, Active: true, Position: 2})
	if err != nil {
		t.Fatal(err)
	}
	return free, paid
}

// pubJoinForm is a valid Join form for email; extra values replace or add fields.
func pubJoinForm(email string, extra url.Values) url.Values {
	f := url.Values{"given_name": {"Rosa"}, "family_name": {"Díaz"}, "email": {email}, "zip": {"78701"},
		"language": {"es"}, "tier": {"0"}}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

// pubSetCookie returns the Set-Cookie header of an answer that sets name.
func pubSetCookie(r answer, name string) string {
	for _, c := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, name+"=") {
			return c
		}
	}
	return ""
}

// pubAwayFromEdge waits, when a fixed rate-limit window of length window ends within the
// next few seconds, until the next one starts, so that a test's attempts fall in one
// window (the limiter aligns windows to the Unix epoch).
func pubAwayFromEdge(window time.Duration) {
	left := window - time.Duration(time.Now().UnixNano()%int64(window))
	if left < 8*time.Second {
		time.Sleep(left + 100*time.Millisecond)
	}
}

// pubAPI calls the JSON API with key and an optional JSON body.
func pubAPI(t *testing.T, a *app.App, method, path, key, body string) answer {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+key)
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, req)
	return answer{Status: rec.Code, Location: rec.Header().Get("Location"), Header: rec.Header(), Body: rec.Body.String()}
}

// pubKey creates an API key of role.
func pubKey(t *testing.T, a *app.App, role auth.Role) string {
	t.Helper()
	key, _, err := a.Auth.CreateAPIKey(context.Background(), pubStaff, auth.NewAPIKey{Name: "CRM sync " + string(role), Role: role})
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// pubPath returns the path and query of an absolute address.
func pubPath(t *testing.T, href string) string {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil || u.Path == "" {
		t.Fatalf("not an address: %q", href)
	}
	return u.RequestURI()
}

var elementRe = regexp.MustCompile(`<[a-z]+ [^>]*\bid="([^"]+)"[^>]*>`)

// pubElement returns the opening tag of the element with id on a page, or "".
func pubElement(body, id string) string {
	for _, m := range elementRe.FindAllStringSubmatch(body, -1) {
		if m[1] == id {
			return m[0]
		}
	}
	return ""
}

// pubSaysWait reports whether a 429 page says, in English, to wait as long as its
// Retry-After header (give or take the second the header rounds up).
func pubSaysWait(a *app.App, r answer) bool {
	secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || secs <= 0 {
		return false
	}
	for _, s := range []int{secs, secs - 1} {
		key, n := ratelimit.WaitMessage(time.Duration(s) * time.Second)
		if strings.Contains(r.Body, html.EscapeString(a.Catalog.Localizer("en").N(key, n))) {
			return true
		}
	}
	return false
}

// pubT translates a key into lang as html/template writes it in text (which also escapes
// "+").
func pubT(a *app.App, lang, key string) string {
	return strings.ReplaceAll(html.EscapeString(a.Catalog.Localizer(lang).T(key)), "+", "&#43;")
}
