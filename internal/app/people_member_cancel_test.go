package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/notify"
	"solidarity/internal/people"
)

// pmcMember creates a person in lang with an active membership of tier and signs them in
// as a new visitor from addr.
func pmcMember(t *testing.T, a *app.App, email, lang string, tier people.Tier, addr string) (int64, *visitor) {
	t.Helper()
	ctx := context.Background()
	p, err := a.People.Create(ctx, pubStaff, people.PersonInput{GivenName: "Dolores", FamilyName: "Huerta", Emails: []string{email}, Language: lang})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.People.SetMembership(ctx, pubStaff, p.ID, people.MembershipInput{TierID: tier.ID, Status: people.MemberActive}); err != nil {
		t.Fatal(err)
	}
	v := newVisitor(t, a, addr)
	v.follow(v.post(pubSignInLink(t, a, v, email), nil))
	return p.ID, v
}

// pmcMail returns the mails of purpose to address.
func pmcMail(t *testing.T, a *app.App, to, purpose string) []notify.Delivery {
	t.Helper()
	list, err := a.Notify.Outbox(context.Background(), notify.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []notify.Delivery
	for _, d := range list.Deliveries {
		if d.To == to && d.Purpose == purpose {
			out = append(out, d)
		}
	}
	return out
}

// A member cancels their membership from their page: a confirmation step first, then the
// membership is cancelled and the person kept, the act audited as the member and on their
// timeline, and an e-mail in their language confirms it. Cancelling again sends nothing.
func TestMemberCancelsMembership(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		free, _ := pubTiers(t, a)
		id, v := pmcMember(t, a, "dolores@example.org", "es", free, "198.51.100.60")

		must(t, "member page", v.get("/member?lang=es"), http.StatusOK, `href="/member/cancel"`, es(a, "public.member.cancel_link"))
		page := v.get("/member/cancel?lang=es")
		must(t, "cancel page", page, http.StatusOK, es(a, "public.cancel.title"), es(a, "public.cancel.what_stays"),
			"Miembro comunitario", es(a, "people.membership.status.active"), `name="confirm" value="yes"`, es(a, "public.cancel.submit"),
			es(a, "public.cancel.keep"))
		mustNot(t, "cancel page of a free tier", page, `id="cancel-recurring"`)

		// Without the confirmation nothing changes: the page asks again.
		must(t, "cancel without confirming", v.post("/member/cancel", nil), http.StatusOK, es(a, "public.cancel.submit"))
		if p, _ := a.People.Get(ctx, pubStaff, id); p.Membership == nil || p.Membership.Status != people.MemberActive {
			t.Fatalf("cancelled before confirming: %+v", p.Membership)
		}

		done := v.post("/member/cancel", url.Values{"confirm": {"yes"}})
		if done.Status != http.StatusSeeOther || done.Location != people.MemberPath {
			t.Fatalf("cancel: %d %q\n%s", done.Status, done.Location, done.Body)
		}
		after := v.follow(done)
		must(t, "member page after cancelling", after, http.StatusOK, es(a, "public.cancel.done"),
			es(a, "people.membership.status.cancelled"), es(a, "public.member.rejoin_link"), es(a, "public.member.title"))
		mustNot(t, "member page after cancelling", after, `href="/member/cancel"`)

		p, err := a.People.Get(ctx, pubStaff, id)
		if err != nil {
			t.Fatalf("the person is gone after cancelling a membership: %v", err)
		}
		if p.Membership == nil || p.Membership.Status != people.MemberCancelled || p.Membership.StartedAt == nil || p.Membership.TierID != free.ID {
			t.Errorf("membership after cancelling = %+v, want cancelled with its dates and tier kept", p.Membership)
		}

		// Audited as the member, with nothing that names them.
		entries := adminAudited(t, a, "people.membership_cancel")
		obj := "person:" + strconv.FormatInt(id, 10)
		if len(entries) != 1 || entries[0].Actor != obj || entries[0].ActorName != "member" || entries[0].Object != obj ||
			strings.Contains(entries[0].Detail, "dolores") || strings.Contains(entries[0].Detail, "Dolores") {
			t.Errorf("audit entries %+v, want one by the member about themselves, naming no one", entries)
		}

		// On the timeline as the member's own act.
		tl, err := a.People.Timeline(ctx, pubStaff, id, "", 20)
		if err != nil {
			t.Fatal(err)
		}
		if len(tl.Events) == 0 || tl.Events[0].Kind != "membership.cancelled" || tl.Events[0].SummaryKey != "people.timeline.membership_cancelled_by_member" ||
			tl.Events[0].Data["by"] != "member" {
			t.Errorf("newest timeline event = %+v, want the member's own cancellation", tl.Events)
		}

		// Confirmed by e-mail, in Spanish, with a link to the member page.
		mails := pmcMail(t, a, "dolores@example.org", "people.membership_cancelled")
		if len(mails) != 1 {
			t.Fatalf("%d cancellation mails, want 1", len(mails))
		}
		tr := a.Catalog.Localizer("es")
		if m := mails[0]; m.Subject != tr.T("people.mail.cancelled.subject") || !strings.Contains(m.Text, tr.T("people.mail.cancelled.body", map[string]any{"Tier": "Miembro comunitario"})) ||
			!strings.Contains(m.Text, people.MemberPath) || strings.Contains(m.Text, tr.T("people.mail.cancelled.recurring")) {
			t.Errorf("cancellation mail: %q\n%s", m.Subject, m.Text)
		}

		// Nothing left to cancel: the page sends the member back, and a repeated POST sends no second mail.
		if r := v.get("/member/cancel"); r.Status != http.StatusSeeOther || r.Location != people.MemberPath || pubSetCookie(r, "flash") == "" {
			t.Errorf("cancel page of a cancelled membership: %d %q", r.Status, r.Location)
		}
		if r := v.post("/member/cancel", url.Values{"confirm": {"yes"}}); r.Status != http.StatusSeeOther {
			t.Errorf("cancelling twice: %d", r.Status)
		}
		if n := len(pmcMail(t, a, "dolores@example.org", "people.membership_cancelled")); n != 1 {
			t.Errorf("cancelling twice sent %d mails, want 1", n)
		}

		// Without a session, back to the sign-in form; nothing happens.
		stranger := newVisitor(t, a, "198.51.100.61")
		for _, r := range []answer{stranger.get("/member/cancel"), stranger.post("/member/cancel", url.Values{"confirm": {"yes"}})} {
			if r.Status != http.StatusSeeOther || r.Location != people.MemberPath {
				t.Errorf("cancel without a session: %d %q", r.Status, r.Location)
			}
		}
	})
}

// A supporter has no membership to cancel: no link on their page, and the cancel page and
// form send them back with a translated notice.
func TestMemberCancelWithoutMembership(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		if _, err := a.People.Create(context.Background(), pubStaff, people.PersonInput{GivenName: "Ana", Emails: []string{"ana@example.org"}}); err != nil {
			t.Fatal(err)
		}
		v := newVisitor(t, a, "198.51.100.62")
		v.follow(v.post(pubSignInLink(t, a, v, "ana@example.org"), nil))
		mustNot(t, "supporter's page", v.get("/member"), `href="/member/cancel"`)
		for _, send := range []func() answer{
			func() answer { return v.get("/member/cancel") },
			func() answer { return v.post("/member/cancel", url.Values{"confirm": {"yes"}}) },
		} {
			r := send()
			if r.Status != http.StatusSeeOther || r.Location != people.MemberPath {
				t.Fatalf("cancel without a membership: %d %q\n%s", r.Status, r.Location, r.Body)
			}
			must(t, "back on the member page", v.follow(r), http.StatusOK, en(a, "people.membership.none"))
		}
		if n := len(pmcMail(t, a, "ana@example.org", "people.membership_cancelled")); n != 0 {
			t.Errorf("%d cancellation mails to a supporter", n)
		}
	})
}

// Dues that recur may be paid by a recurring card gift, which cancelling here does not
// stop: the member page, the cancel page and the confirmation mail say that card gifts are
// stopped from the receipt's link.
func TestMemberCancelRecurringDues(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		_, paid := pubTiers(t, a)
		_, v := pmcMember(t, a, "cesar@example.org", "en", paid, "198.51.100.63")
		must(t, "member page", v.get("/member"), http.StatusOK, en(a, "public.cancel.recurring"))
		must(t, "cancel page", v.get("/member/cancel"), http.StatusOK, `id="cancel-recurring"`, en(a, "public.cancel.recurring"),
			"Sustaining member", "$15")
		if r := v.post("/member/cancel", url.Values{"confirm": {"yes"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("cancel: %d\n%s", r.Status, r.Body)
		}
		mails := pmcMail(t, a, "cesar@example.org", "people.membership_cancelled")
		tr := a.Catalog.Localizer("en")
		if len(mails) != 1 || mails[0].Subject != tr.T("people.mail.cancelled.subject") ||
			!strings.Contains(mails[0].Text, tr.T("people.mail.cancelled.recurring")) || !strings.Contains(mails[0].HTML, `lang="en"`) {
			t.Errorf("cancellation mail for recurring dues: %+v", mails)
		}
	})
}
