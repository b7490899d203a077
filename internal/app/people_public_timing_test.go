package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/people"
)

// ptRounds is how many times each path is measured. The answers are held to a floor of a
// quarter of a second, so this is about what the test costs per form and dialect: 2 × 10
// × 0.25 s.
const ptRounds = 10

// ptMaxGap bounds the difference of the median answer times of a known and an unknown
// address: a few timer and scheduling milliseconds on a loaded 2-core machine, far below
// the tens of milliseconds the work itself differs by without the floor.
const ptMaxGap = 30 * time.Millisecond

// ptMedian is the median of ds.
func ptMedian(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// ptTime times one POST, from its own client address so that no per-client limit is hit.
func ptTime(t *testing.T, a *app.App, addr, path string, form url.Values) time.Duration {
	t.Helper()
	v := newVisitor(t, a, addr)
	begin := time.Now()
	r := v.post(path, form)
	d := time.Since(begin)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("POST %s: %d\n%s", path, r.Status, r.Body)
	}
	return d
}

// The Join form and the sign-in link form answer a known and an unknown address after the
// same time, although the work behind them differs (measured without the floor through the
// services, and logged: a known address costs the sign-in form about ten times the work of
// an unknown one; a new address costs Join several times the work of a known one). Known and unknown requests alternate, so that a slow patch of the
// machine falls on both.
func TestJoinAndMemberSignInTakeEvenTime(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		pubAwayFromEdge(people.JoinGlobalWindow)
		// Known members, one per sign-in request (each address has its own hourly budget).
		for i := range ptRounds {
			if _, err := a.People.Create(ctx, pubStaff, people.PersonInput{GivenName: "Known", Emails: []string{fmt.Sprintf("known%d@example.org", i)}}); err != nil {
				t.Fatal(err)
			}
		}

		// The raw work, without the floor: what the time would tell.
		var rawKnown, rawUnknown []time.Duration
		for i := range ptRounds {
			begin := time.Now()
			if err := a.People.RequestSignInLink(ctx, fmt.Sprintf("known%d@example.org", i)); err != nil {
				t.Fatal(err)
			}
			rawKnown = append(rawKnown, time.Since(begin))
			begin = time.Now()
			if err := a.People.RequestSignInLink(ctx, fmt.Sprintf("raw-nobody%d@example.org", i)); err != nil {
				t.Fatal(err)
			}
			rawUnknown = append(rawUnknown, time.Since(begin))
		}
		t.Logf("sign-in link work without the floor: median known %v, unknown %v", ptMedian(rawKnown), ptMedian(rawUnknown))
		rawKnown, rawUnknown = nil, nil
		for i := range ptRounds {
			begin := time.Now()
			if _, err := a.People.Join(ctx, people.JoinRequest{GivenName: "Known", Email: "known0@example.org", Language: "en"}); err != nil {
				t.Fatal(err)
			}
			rawKnown = append(rawKnown, time.Since(begin))
			begin = time.Now()
			if _, err := a.People.Join(ctx, people.JoinRequest{GivenName: "New", Email: fmt.Sprintf("raw-new%d@example.org", i),
				Phone: fmt.Sprintf("512-555-02%02d", i), Language: "en", EmailOptIn: true}); err != nil {
				t.Fatal(err)
			}
			rawUnknown = append(rawUnknown, time.Since(begin))
		}
		t.Logf("join work without the floor: median known %v, new %v", ptMedian(rawKnown), ptMedian(rawUnknown))

		var joinKnown, joinNew, linkKnown, linkUnknown []time.Duration
		for i := range ptRounds {
			joinKnown = append(joinKnown, ptTime(t, a, fmt.Sprintf("203.0.113.%d", 10+i), "/join", pubJoinForm("known0@example.org", nil)))
			joinNew = append(joinNew, ptTime(t, a, fmt.Sprintf("203.0.113.%d", 40+i), "/join",
				pubJoinForm(fmt.Sprintf("new%d@example.org", i), url.Values{"phone": {"512-555-01" + fmt.Sprintf("%02d", i)}, "email_opt_in": {"yes"}})))
			linkKnown = append(linkKnown, ptTime(t, a, fmt.Sprintf("203.0.113.%d", 70+i), "/member/signin",
				url.Values{"email": {fmt.Sprintf("known%d@example.org", i)}}))
			linkUnknown = append(linkUnknown, ptTime(t, a, fmt.Sprintf("203.0.113.%d", 100+i), "/member/signin",
				url.Values{"email": {fmt.Sprintf("nobody%d@example.org", i)}}))
		}
		for _, c := range []struct {
			form           string
			known, unknown []time.Duration
		}{{"join", joinKnown, joinNew}, {"sign-in link", linkKnown, linkUnknown}} {
			mk, mu := ptMedian(c.known), ptMedian(c.unknown)
			t.Logf("%s answers: median known %v, unknown %v (min %v / %v, max %v / %v)", c.form, mk, mu,
				slices.Min(c.known), slices.Min(c.unknown), slices.Max(c.known), slices.Max(c.unknown))
			if gap := (mk - mu).Abs(); gap > ptMaxGap {
				t.Errorf("%s: the medians of a known and an unknown address differ by %v, over %v", c.form, gap, ptMaxGap)
			}
			if mk < 200*time.Millisecond || mu < 200*time.Millisecond {
				t.Errorf("%s: answers in %v / %v: the floor does not hold them", c.form, mk, mu)
			}
		}
		// The work did happen: a person per new address, a link per known one.
		if n := pubCount(t, a); n != 3*ptRounds {
			t.Errorf("%d people, want %d", n, 3*ptRounds)
		}
		if n := pubMails(t, a, "known3@example.org", "people.member_signin"); n != 2 {
			t.Errorf("%d sign-in mails to a known member, want 2", n)
		}
	})
}
