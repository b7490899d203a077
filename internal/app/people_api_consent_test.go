package app_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/people"
)

// pacSignup posts an OSDI signup and fails unless it answers want.
func pacSignup(t *testing.T, a *app.App, key, body string, want int) map[string]any {
	t.Helper()
	r := pubAPI(t, a, "POST", "/api/v1/people", key, body)
	if r.Status != want {
		t.Fatalf("signup %s: %d, want %d\n%s", body, r.Status, want, r.Body)
	}
	if want >= 400 {
		return nil
	}
	return jsonOf(t, r)
}

// pacConsent returns the person's consent on ch.
func pacConsent(t *testing.T, a *app.App, email string, ch people.Channel) people.Consent {
	t.Helper()
	return pubMust(t, a, email).ConsentFor(ch)
}

// pacStatus is the OSDI status of the first e-mail address or phone number of an answer.
func pacStatus(p map[string]any, list string) string {
	entries, _ := p[list].([]any)
	if len(entries) == 0 {
		return ""
	}
	s, _ := entries[0].(map[string]any)["status"].(string)
	return s
}

// pacRecord records a consent decision as another module would (messaging's STOP keyword,
// an unsubscribe link).
func pacRecord(t *testing.T, a *app.App, id int64, ch people.Channel, st people.ConsentStatus, m people.ConsentMethod) {
	t.Helper()
	if err := a.DB.InTx(context.Background(), func(tx *db.Tx) error {
		return a.People.RecordConsent(context.Background(), tx, id, ch, st, m)
	}); err != nil {
		t.Fatalf("record %s %s by %s: %v", ch, st, m, err)
	}
}

// The OSDI statuses of a signup record consent per channel with how = "api": a partner's
// "subscribed" is its attestation, granted at once without a confirmation mail and without
// a double opt-in time; "unsubscribed" revokes; each change is on the timeline and in the
// audit log, and the answer shows the new status.
func TestPeopleAPIConsentRecorded(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		key := pubKey(t, a, auth.RoleOrganizer)
		p := pacSignup(t, a, key, `{"person": {"given_name": "Inés",
			"email_addresses": [{"address": "Ines@Example.org", "primary": true, "status": "subscribed"}],
			"phone_numbers": [{"number": "(512) 555-0171", "primary": true, "status": "subscribed"}]}}`, http.StatusCreated)
		if pacStatus(p, "email_addresses") != "subscribed" || pacStatus(p, "phone_numbers") != "subscribed" {
			t.Errorf("answer statuses: %v / %v", p["email_addresses"], p["phone_numbers"])
		}
		for _, ch := range people.Channels() {
			c := pacConsent(t, a, "ines@example.org", ch)
			if c.Status != people.ConsentGranted || c.Method != people.MethodAPI || c.ConfirmedAt != nil || c.At.IsZero() {
				t.Errorf("%s consent after an API subscribe = %+v, want granted by api, no confirmation time", ch, c)
			}
		}
		if n := pubMails(t, a, "ines@example.org", "people.join_confirm"); n != 0 {
			t.Errorf("an API subscribe sent %d confirmation mails, want none (the partner attests)", n)
		}
		id := pubMust(t, a, "ines@example.org").ID
		tl, err := a.People.Timeline(context.Background(), pubStaff, id, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		granted := 0
		for _, e := range tl.Events {
			if e.Kind == "consent.granted" && e.Data["method"] == "api" {
				granted++
			}
		}
		if granted != 2 {
			t.Errorf("timeline has %d API grants, want 2 (e-mail and SMS): %+v", granted, tl.Events)
		}
		entries := adminAudited(t, a, "people.consent")
		for _, e := range entries {
			if e.Object != "person:"+strconv.FormatInt(id, 10) || !strings.HasPrefix(e.Actor, "apikey:") ||
				strings.Contains(e.Detail, "@") || strings.Contains(e.Detail, "555") {
				t.Errorf("audit entry %+v: want the key as actor, the person as object and no address", e.Entry)
			}
		}

		// "unsubscribed" revokes, channel by channel.
		p = pacSignup(t, a, key, `{"email_addresses": [{"address": "ines@example.org", "status": "unsubscribed"}]}`, http.StatusOK)
		if c := pacConsent(t, a, "ines@example.org", people.ChannelEmail); c.Status != people.ConsentRevoked || c.Method != people.MethodAPI {
			t.Errorf("e-mail consent after an API unsubscribe = %+v", c)
		}
		if c := pacConsent(t, a, "ines@example.org", people.ChannelSMS); c.Status != people.ConsentGranted {
			t.Errorf("SMS consent changed with the e-mail's status: %+v", c)
		}
		if pacStatus(p, "email_addresses") != "unsubscribed" {
			t.Errorf("answer after unsubscribing: %v", p["email_addresses"])
		}
		pacSignup(t, a, key, `{"phone_numbers": [{"number": "+15125550171", "status": "unsubscribed"}]}`, http.StatusOK)
		if c := pacConsent(t, a, "ines@example.org", people.ChannelSMS); c.Status != people.ConsentRevoked || c.Method != people.MethodAPI {
			t.Errorf("SMS consent after an API unsubscribe = %+v", c)
		}

		// The API may undo what the API revoked: the partner says the person subscribed again.
		pacSignup(t, a, key, `{"email_addresses": [{"address": "ines@example.org", "status": "subscribed"}]}`, http.StatusOK)
		if c := pacConsent(t, a, "ines@example.org", people.ChannelEmail); c.Status != people.ConsentGranted {
			t.Errorf("e-mail consent after an API re-subscribe = %+v", c)
		}
	})
}

// No status, no consent: a signup without statuses records nothing and leaves what is
// recorded as it is; "bouncing" is about delivery, not the person's decision.
func TestPeopleAPIConsentNeverSilent(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		key := pubKey(t, a, auth.RoleOrganizer)
		p := pacSignup(t, a, key, `{"given_name": "Tomás", "email_addresses": [{"address": "tomas@example.org"}],
			"phone_numbers": [{"number": "512-555-0172"}]}`, http.StatusCreated)
		for _, ch := range people.Channels() {
			if c := pacConsent(t, a, "tomas@example.org", ch); c.Status != "" {
				t.Errorf("%s consent without any status = %+v, want none", ch, c)
			}
		}
		if pacStatus(p, "email_addresses") != "" || pacStatus(p, "phone_numbers") != "" {
			t.Errorf("answer shows a status nobody gave: %v %v", p["email_addresses"], p["phone_numbers"])
		}
		pacSignup(t, a, key, `{"email_addresses": [{"address": "tomas@example.org", "status": "bouncing"}]}`, http.StatusOK)
		if c := pacConsent(t, a, "tomas@example.org", people.ChannelEmail); c.Status != "" {
			t.Errorf("bouncing recorded consent %+v", c)
		}

		// Confirmed by the person's own link, then a signup without status: unchanged.
		id := pubMust(t, a, "tomas@example.org").ID
		pacRecord(t, a, id, people.ChannelEmail, people.ConsentGranted, people.MethodLink)
		before := pacConsent(t, a, "tomas@example.org", people.ChannelEmail)
		pacSignup(t, a, key, `{"email_addresses": [{"address": "tomas@example.org"}], "add_tags": ["volunteer"]}`, http.StatusOK)
		pacSignup(t, a, key, `{"email_addresses": [{"address": "tomas@example.org", "status": "subscribed"}]}`, http.StatusOK)
		after := pacConsent(t, a, "tomas@example.org", people.ChannelEmail)
		if after.Method != people.MethodLink || after.ConfirmedAt == nil || !after.At.Equal(before.At) {
			t.Errorf("a confirmed consent was rewritten by the API: before %+v, after %+v", before, after)
		}

		// A spam complaint revokes.
		pacSignup(t, a, key, `{"email_addresses": [{"address": "tomas@example.org", "status": "Spam Complaint"}]}`, http.StatusOK)
		if c := pacConsent(t, a, "tomas@example.org", people.ChannelEmail); c.Status != people.ConsentRevoked || c.Method != people.MethodAPI {
			t.Errorf("e-mail consent after a spam complaint = %+v", c)
		}
	})
}

// A person's own "stop" (an unsubscribe link, the STOP keyword) is never overridden by a
// partner's "subscribed"; a revocation wins over a grant in the same signup; a status on
// an address that stays with someone else says nothing about the person matched.
func TestPeopleAPIConsentRespectsThePersonsStop(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		key := pubKey(t, a, auth.RoleOrganizer)
		pacSignup(t, a, key, `{"given_name": "Rocío", "email_addresses": [{"address": "rocio@example.org"}],
			"phone_numbers": [{"number": "512-555-0173"}]}`, http.StatusCreated)
		id := pubMust(t, a, "rocio@example.org").ID
		pacRecord(t, a, id, people.ChannelEmail, people.ConsentRevoked, people.MethodLink)
		pacRecord(t, a, id, people.ChannelSMS, people.ConsentRevoked, people.MethodKeyword)

		p := pacSignup(t, a, key, `{"email_addresses": [{"address": "rocio@example.org", "status": "subscribed"}],
			"phone_numbers": [{"number": "+15125550173", "status": "subscribed"}]}`, http.StatusOK)
		for ch, m := range map[people.Channel]people.ConsentMethod{people.ChannelEmail: people.MethodLink, people.ChannelSMS: people.MethodKeyword} {
			if c := pacConsent(t, a, "rocio@example.org", ch); c.Status != people.ConsentRevoked || c.Method != m {
				t.Errorf("%s: the person's own stop was overridden by the API: %+v", ch, c)
			}
		}
		if pacStatus(p, "email_addresses") != "unsubscribed" || pacStatus(p, "phone_numbers") != "unsubscribed" {
			t.Errorf("the answer does not tell the partner the person stays unsubscribed: %v %v", p["email_addresses"], p["phone_numbers"])
		}
		// Only the person's own START keyword gives SMS back, confirmed.
		pacRecord(t, a, id, people.ChannelSMS, people.ConsentGranted, people.MethodKeyword)
		if c := pacConsent(t, a, "rocio@example.org", people.ChannelSMS); c.Status != people.ConsentGranted || c.ConfirmedAt == nil {
			t.Errorf("SMS consent after START = %+v, want granted and confirmed", c)
		}

		// Two addresses of one person: the revocation wins.
		pacSignup(t, a, key, `{"given_name": "Luz", "email_addresses": [{"address": "luz@example.org", "primary": true, "status": "subscribed"},
			{"address": "luz.work@example.org", "status": "unsubscribed"}]}`, http.StatusCreated)
		if c := pacConsent(t, a, "luz@example.org", people.ChannelEmail); c.Status != people.ConsentRevoked {
			t.Errorf("a revocation lost to a grant in the same signup: %+v", c)
		}

		// rocio@ stays Rocío's: its "unsubscribed" says nothing about Noemí, matched by her own address.
		pacSignup(t, a, key, `{"given_name": "Noemí", "email_addresses": [{"address": "noemi@example.org"}]}`, http.StatusCreated)
		pacSignup(t, a, key, `{"email_addresses": [{"address": "noemi@example.org", "primary": true, "status": "subscribed"},
			{"address": "rocio@example.org", "status": "unsubscribed"}]}`, http.StatusOK)
		if c := pacConsent(t, a, "noemi@example.org", people.ChannelEmail); c.Status != people.ConsentGranted {
			t.Errorf("someone else's address decided Noemí's consent: %+v", c)
		}
		if pubMust(t, a, "rocio@example.org").ID != id {
			t.Error("an address moved to another person")
		}
	})
}

// A status the endpoint does not know is a 422 naming the field, in the client's language,
// and nothing is stored.
func TestPeopleAPIConsentBadStatus(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		key := pubKey(t, a, auth.RoleOrganizer)
		for _, tc := range []struct{ body, field, key string }{
			{`{"email_addresses": [{"address": "nadie@example.org", "status": "maybe"}]}`, "email_addresses.status", "public.api.email_status_invalid"},
			{`{"email_addresses": [{"address": "nadie@example.org"}], "phone_numbers": [{"number": "512-555-0174", "status": "bouncing"}]}`,
				"phone_numbers.status", "public.api.phone_status_invalid"},
		} {
			r := pubAPI(t, a, "POST", "/api/v1/people", key, tc.body)
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("%s: %d, want 422\n%s", tc.body, r.Status, r.Body)
			}
			fields, _ := jsonOf(t, r)["fields"].([]any)
			if len(fields) != 1 || fields[0].(map[string]any)["field"] != tc.field || fields[0].(map[string]any)["code"] != tc.key ||
				fields[0].(map[string]any)["message"] != a.Catalog.Localizer("en").T(tc.key) {
				t.Errorf("%s: fields %v, want %s with %s", tc.body, fields, tc.field, tc.key)
			}
		}
		if _, ok := pubFind(t, a, "nadie@example.org"); ok {
			t.Error("a rejected signup stored the person")
		}
	})
}

// Consent "how" takes every method the modules use, "keyword" (SMS STOP/START from the
// rapid-response webhook) and "api" among them, on both databases; anything else is refused.
func TestConsentMethods(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		p, err := a.People.Create(context.Background(), pubStaff, people.PersonInput{GivenName: "Alba", Emails: []string{"alba@example.org"},
			Phones: []string{"512-555-0175"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []people.ConsentMethod{people.MethodForm, people.MethodImport, people.MethodKeyword, people.MethodStaff, people.MethodAPI, people.MethodLink} {
			pacRecord(t, a, p.ID, people.ChannelSMS, people.ConsentRevoked, m)
			if c := pacConsent(t, a, "alba@example.org", people.ChannelSMS); c.Method != m {
				t.Errorf("method %s stored as %+v", m, c)
			}
		}
		err = a.DB.InTx(context.Background(), func(tx *db.Tx) error {
			return a.People.RecordConsent(context.Background(), tx, p.ID, people.ChannelSMS, people.ConsentGranted, "carrier-pigeon")
		})
		if err == nil {
			t.Error("an unknown consent method was accepted")
		}
	})
}
