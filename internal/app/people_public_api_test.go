package app_test

import (
	"net/http"
	"strconv"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
)

const pubSignup = `{
  "person": {
    "given_name": "Lucía", "family_name": "Ramos",
    "email_addresses": [{"address": "other@example.org"}, {"address": "Lucia@Example.org", "primary": true}],
    "phone_numbers": [{"number": "(512) 555-0160"}],
    "postal_addresses": [{"postal_code": "78702", "region": "Texas", "locality": "Austin", "address_lines": ["12 Oak St", "Apt 3"]}],
    "languages_spoken": ["es"],
    "identifiers": ["action_network:abc"]
  },
  "add_tags": ["volunteer", "rapid response"]
}`

// The person signup helper creates someone, then updates the same person found by e-mail;
// the answers are OSDI people.
func TestPeopleAPICreateOrUpdate(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		key := pubKey(t, a, auth.RoleOrganizer)

		created := pubAPI(t, a, "POST", "/api/v1/people", key, pubSignup)
		if created.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", created.Status, created.Body)
		}
		p := jsonOf(t, created)
		self := p["_links"].(map[string]any)["self"].(map[string]any)["href"].(string)
		if created.Location != self || p["given_name"] != "Lucía" || p["family_name"] != "Ramos" {
			t.Errorf("created person: Location %q, body %v", created.Location, p)
		}
		emails := p["email_addresses"].([]any)
		if len(emails) != 2 || emails[0].(map[string]any)["address"] != "lucia@example.org" || emails[0].(map[string]any)["primary"] != true {
			t.Errorf("e-mails = %v, want the primary one first, normalized", emails)
		}
		if phones := p["phone_numbers"].([]any); len(phones) != 1 || phones[0].(map[string]any)["number"] != "+15125550160" {
			t.Errorf("phones = %v", phones)
		}
		addr := p["postal_addresses"].([]any)[0].(map[string]any)
		if addr["postal_code"] != "78702" || addr["region"] != "TX" || addr["locality"] != "Austin" || len(addr["address_lines"].([]any)) != 2 {
			t.Errorf("address = %v", addr)
		}
		if langs := p["languages_spoken"].([]any); len(langs) != 1 || langs[0] != "es" {
			t.Errorf("languages = %v", langs)
		}
		if tags := p["solidarity:tags"].([]any); len(tags) != 2 {
			t.Errorf("tags = %v", tags)
		}

		// The same address again, flat (no "person" wrapper): the same person, updated.
		again := pubAPI(t, a, "POST", "/api/v1/people", key,
			`{"email_addresses": [{"address": "lucia@example.org"}], "phone_numbers": [{"number": "+52 55 1234 5678"}], "add_tags": ["donor"]}`)
		if again.Status != http.StatusOK || again.Location != "" {
			t.Fatalf("update: %d %q %s", again.Status, again.Location, again.Body)
		}
		q := jsonOf(t, again)
		if q["_links"].(map[string]any)["self"].(map[string]any)["href"] != self || q["given_name"] != "Lucía" {
			t.Errorf("update made another person or lost the name: %v", q)
		}
		if phones := q["phone_numbers"].([]any); len(phones) != 2 {
			t.Errorf("phones after update = %v, want the new one added", phones)
		}
		if tags := q["solidarity:tags"].([]any); len(tags) != 3 {
			t.Errorf("tags after update = %v, want donor added", tags)
		}

		got := pubAPI(t, a, "GET", pubPath(t, self), key, "")
		if got.Status != http.StatusOK || jsonOf(t, got)["identifiers"].([]any)[0] != "solidarity:"+pubPath(t, self)[len("/api/v1/people/"):] {
			t.Errorf("get: %d %s", got.Status, got.Body)
		}
		if r := pubAPI(t, a, "GET", "/api/v1/people/999999", key, ""); r.Status != http.StatusNotFound {
			t.Errorf("unknown person: %d", r.Status)
		}
		if r := pubAPI(t, a, "GET", "/api/v1/people/abc", key, ""); r.Status != http.StatusNotFound {
			t.Errorf("malformed id: %d", r.Status)
		}

		// A key whose role may not see people can neither read nor write them.
		member := pubKey(t, a, auth.RoleMember)
		if r := pubAPI(t, a, "POST", "/api/v1/people", member, pubSignup); r.Status != http.StatusForbidden {
			t.Errorf("write with a member's key: %d", r.Status)
		}
		if r := pubAPI(t, a, "GET", pubPath(t, self), member, ""); r.Status != http.StatusForbidden {
			t.Errorf("read with a member's key: %d", r.Status)
		}
	})
}

// Bad JSON and bad fields get 422 with each field named as the client wrote it and the
// message in the client's language; nothing is stored.
func TestPeopleAPIInvalidInput(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		key := pubKey(t, a, auth.RoleOrganizer)
		cases := []struct {
			name, body, field, code string
		}{
			{"not JSON", `{"given_name": `, "body", "public.api.body_invalid"},
			{"wrong shape", `{"email_addresses": "x@example.org"}`, "body", "public.api.body_invalid"},
			{"bad e-mail", `{"email_addresses": [{"address": "not-an-address"}]}`, "email_addresses", "people.email.invalid"},
			{"bad phone", `{"email_addresses": [{"address": "a@example.org"}], "phone_numbers": [{"number": "12"}]}`, "phone_numbers", "people.phone.invalid"},
			{"bad ZIP", `{"email_addresses": [{"address": "a@example.org"}], "postal_addresses": [{"postal_code": "787$01"}]}`, "postal_addresses.postal_code", "people.zip.invalid"},
			{"bad language", `{"email_addresses": [{"address": "a@example.org"}], "languages_spoken": ["klingon"]}`, "languages_spoken", "people.language.invalid"},
			{"unknown custom field", `{"email_addresses": [{"address": "a@example.org"}], "custom_fields": {"shirt": "L"}}`, "custom_fields.shirt", "people.custom.unknown"},
			{"no e-mail or phone", `{"given_name": "Nadie"}`, "email_addresses", "people.email.required"},
		}
		for _, c := range cases {
			req := pubAPI(t, a, "POST", "/api/v1/people", key, c.body)
			if req.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d, want 422: %s", c.name, req.Status, req.Body)
				continue
			}
			body := jsonOf(t, req)
			fields, _ := body["fields"].([]any)
			found := false
			for _, f := range fields {
				m := f.(map[string]any)
				if m["field"] == c.field && m["code"] == c.code && m["message"] == a.Catalog.Localizer("en").T(c.code) {
					found = true
				}
			}
			if body["error"] != "invalid" || !found {
				t.Errorf("%s: %s, want field %s with %s", c.name, req.Body, c.field, c.code)
			}
		}
		if n := pubCount(t, a); n != 0 {
			t.Errorf("invalid input stored %d people", n)
		}
		for _, bad := range []string{"?per_page=0", "?per_page=101", "?page=0", "?updated_since=yesterday", "?after=x", "?email=nope"} {
			if r := pubAPI(t, a, "GET", "/api/v1/people"+bad, key, ""); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("list %s: %d, want 422", bad, r.Status)
			}
		}
	})
}

// The list filters by tag, e-mail and time of change, counts every match, and pages with
// next links until the last page.
func TestPeopleAPIList(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		key := pubKey(t, a, auth.RoleOrganizer)
		for i, tag := range []string{"volunteer", "volunteer", "donor", "volunteer"} {
			body := `{"given_name": "P` + strconv.Itoa(i) + `", "email_addresses": [{"address": "p` + strconv.Itoa(i) + `@example.org"}], "add_tags": ["` + tag + `"]}`
			if r := pubAPI(t, a, "POST", "/api/v1/people", key, body); r.Status != http.StatusCreated {
				t.Fatalf("create %d: %d %s", i, r.Status, r.Body)
			}
		}
		reader := pubKey(t, a, auth.RoleOrganizer)

		page1 := pubAPI(t, a, "GET", "/api/v1/people?tag=volunteer&per_page=2", reader, "")
		p1 := jsonOf(t, page1)
		if page1.Status != http.StatusOK || p1["total_records"] != 3.0 || p1["total_pages"] != 2.0 || p1["per_page"] != 2.0 || p1["page"] != 1.0 {
			t.Fatalf("page 1: %d %s", page1.Status, page1.Body)
		}
		people1 := p1["_embedded"].(map[string]any)["osdi:people"].([]any)
		if len(people1) != 2 || people1[0].(map[string]any)["given_name"] != "P0" || people1[1].(map[string]any)["given_name"] != "P1" {
			t.Errorf("page 1 people = %v", people1)
		}
		next, ok := p1["_links"].(map[string]any)["next"].(map[string]any)
		if !ok {
			t.Fatalf("page 1 has no next link: %s", page1.Body)
		}
		page2 := pubAPI(t, a, "GET", pubPath(t, next["href"].(string)), reader, "")
		p2 := jsonOf(t, page2)
		people2 := p2["_embedded"].(map[string]any)["osdi:people"].([]any)
		if page2.Status != http.StatusOK || p2["page"] != 2.0 || len(people2) != 1 || people2[0].(map[string]any)["given_name"] != "P3" {
			t.Errorf("page 2: %d %s", page2.Status, page2.Body)
		}
		if _, more := p2["_links"].(map[string]any)["next"]; more {
			t.Error("the last page has a next link")
		}
		// Clients that count pages get the same second page.
		byNumber := jsonOf(t, pubAPI(t, a, "GET", "/api/v1/people?tag=volunteer&per_page=2&page=2", reader, ""))
		if got := byNumber["_embedded"].(map[string]any)["osdi:people"].([]any); len(got) != 1 || got[0].(map[string]any)["given_name"] != "P3" {
			t.Errorf("page=2 = %v", got)
		}

		byEmail := jsonOf(t, pubAPI(t, a, "GET", "/api/v1/people?email=P2@example.org", reader, ""))
		if got := byEmail["_embedded"].(map[string]any)["osdi:people"].([]any); byEmail["total_records"] != 1.0 || got[0].(map[string]any)["given_name"] != "P2" {
			t.Errorf("by e-mail: %v", byEmail)
		}
		future := jsonOf(t, pubAPI(t, a, "GET", "/api/v1/people?updated_since=2999-01-01T00:00:00Z", reader, ""))
		past := jsonOf(t, pubAPI(t, a, "GET", "/api/v1/people?updated_since=2000-01-01", reader, ""))
		if future["total_records"] != 0.0 || past["total_records"] != 4.0 {
			t.Errorf("updated since: future %v, past %v", future["total_records"], past["total_records"])
		}

		entry := jsonOf(t, pubAPI(t, a, "GET", "/api/v1/", reader, ""))
		links := entry["_links"].(map[string]any)
		if _, ok := links["osdi:people"]; !ok {
			t.Errorf("the entry point does not link the people: %v", links)
		}
		if _, ok := links["solidarity:organizations"]; !ok {
			t.Errorf("the entry point does not link the organizations: %v", links)
		}
	})
}

// Organizations are listed by name with filters and fetched one by one.
func TestOrganizationsAPI(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		pubOrgs(t, a)
		key := pubKey(t, a, auth.RoleOrganizer)
		list := pubAPI(t, a, "GET", "/api/v1/organizations?per_page=2", key, "")
		l := jsonOf(t, list)
		orgs := l["_embedded"].(map[string]any)["solidarity:organizations"].([]any)
		if list.Status != http.StatusOK || len(orgs) != 2 || orgs[0].(map[string]any)["name"] != "Austin Sanctuary Network" {
			t.Fatalf("organizations: %d %s", list.Status, list.Body)
		}
		next := l["_links"].(map[string]any)["next"].(map[string]any)["href"].(string)
		rest := jsonOf(t, pubAPI(t, a, "GET", pubPath(t, next), key, ""))
		if got := rest["_embedded"].(map[string]any)["solidarity:organizations"].([]any); len(got) != 2 {
			t.Errorf("second page = %v", got)
		}
		tx := jsonOf(t, pubAPI(t, a, "GET", "/api/v1/organizations?region=TX&kind=funder", key, ""))
		got := tx["_embedded"].(map[string]any)["solidarity:organizations"].([]any)
		if len(got) != 1 || got[0].(map[string]any)["name"] != "Quiet Donor Circle" || got[0].(map[string]any)["directory_listed"] != false {
			t.Fatalf("Texas funders = %v", got)
		}
		self := got[0].(map[string]any)["_links"].(map[string]any)["self"].(map[string]any)["href"].(string)
		one := pubAPI(t, a, "GET", pubPath(t, self), key, "")
		if one.Status != http.StatusOK || jsonOf(t, one)["kind"] != "funder" {
			t.Errorf("one organization: %d %s", one.Status, one.Body)
		}
		if r := pubAPI(t, a, "GET", "/api/v1/organizations/999999", key, ""); r.Status != http.StatusNotFound {
			t.Errorf("unknown organization: %d", r.Status)
		}
		if r := pubAPI(t, a, "GET", "/api/v1/organizations?after=garbage!", key, ""); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("bad cursor: %d", r.Status)
		}
	})
}
