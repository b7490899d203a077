package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"solidarity/internal/audit"
	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/i18n"
	"solidarity/internal/jobs"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/response"
	"solidarity/internal/retention"
	"solidarity/internal/testkit"
	"solidarity/internal/vault"
)

// rinAPI is the API on a real database with rapid response wired (an unsealed vault).
func rinAPI(t *testing.T, d *db.DB) *Server {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	q := jobs.New(d, testkit.Logger())
	v := vault.New(d, testkit.Logger())
	if err := v.InitEphemeral(context.Background()); err != nil {
		t.Fatal(err)
	}
	n, err := notify.New(d, q, notify.Config{}, testkit.Logger())
	if err != nil {
		t.Fatal(err)
	}
	n.SetSealer(v)
	p, err := people.New(people.Config{}, people.Deps{DB: d, Jobs: q, Mail: n, Catalog: cat, Log: testkit.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	r, err := response.New(response.Config{}, response.Deps{DB: d, Jobs: q, Notify: n, Vault: v,
		Retention: retention.New(d, testkit.Logger()), Catalog: cat, People: p, Log: testkit.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Build(); err != nil {
		t.Fatal(err)
	}
	return New(Deps{Log: testkit.Logger(), DB: d, People: p, Response: r, Catalog: cat, BaseURL: "https://network.example.org"})
}

// rinCall runs handler h as actor a would reach it past the key check.
func rinCall(a auth.Actor, h http.HandlerFunc, method, target, body string, path map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, v := range path {
		req.SetPathValue(k, v)
	}
	req = req.WithContext(auth.WithActor(req.Context(), a))
	rec := httptest.NewRecorder()
	h(rec, req)
	return rec
}

// The reports API's JSON shapes: an intake partner files a report (201), a dispatcher
// lists reports with filters and a cursor, reads one with its details (an audited read)
// and changes its state; bad input is named field by field.
func TestReportsAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := rinAPI(t, d)
		dispatcher := auth.Actor{Kind: auth.KindAccount, ID: 3, Name: "Dee", Role: auth.RoleDispatcher}

		rec := rinCall(dispatcher, s.reportsCreate, "POST", "/api/v1/reports",
			`{"kind":"workplace","address":"Plant 4, 100 Industrial Blvd","zip":"78744","minutes_ago":20,"agents":8,"vehicles":3,"phone":"512-555-0150","language":"es"}`, nil)
		if rec.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		var created reportResource
		if err := json.Unmarshal(rec.Body.Bytes(), &created); err != nil {
			t.Fatal(err)
		}
		if created.ID == 0 || created.Source != "api" || created.Kind != "workplace" || created.ZIP != "78744" || !created.HasPhone ||
			created.Details != nil || rec.Header().Get("Location") != "https://network.example.org/api/v1/reports/"+strconv.FormatInt(created.ID, 10) {
			t.Errorf("created = %+v (Location %q)", created, rec.Header().Get("Location"))
		}
		if strings.Contains(rec.Body.String(), "Industrial") {
			t.Error("the create answer echoes the address")
		}
		for i := range 3 {
			body := `{"kind":"home","zip":"7870` + strconv.Itoa(i) + `"}`
			if rec := rinCall(dispatcher, s.reportsCreate, "POST", "/api/v1/reports", body, nil); rec.Code != http.StatusCreated {
				t.Fatalf("create %d: %d %s", i, rec.Code, rec.Body)
			}
		}
		rec = rinCall(dispatcher, s.reportsCreate, "POST", "/api/v1/reports", `{"kind":"raid","zip":"1","minutes_ago":100000}`, nil)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"field":"kind"`) ||
			!strings.Contains(rec.Body.String(), `"field":"observed_date"`) || !strings.Contains(rec.Body.String(), `"field":"zip"`) {
			t.Errorf("bad report: %d %s", rec.Code, rec.Body)
		}
		if rec := rinCall(dispatcher, s.reportsCreate, "POST", "/api/v1/reports", `{nope`, nil); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("bad JSON: %d", rec.Code)
		}

		// The list: newest first, by area, two per page with a cursor.
		var page reportsPage
		rec = rinCall(dispatcher, s.reportsList, "GET", "/api/v1/reports?per_page=2", "", nil)
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || rec.Code != 200 {
			t.Fatalf("list: %d %v %s", rec.Code, err, rec.Body)
		}
		if len(page.Embedded.Reports) != 2 || page.Embedded.Reports[0].ZIP != "78702" || page.Links["next"].Href == "" {
			t.Fatalf("first page = %+v", page)
		}
		next := strings.TrimPrefix(page.Links["next"].Href, "https://network.example.org")
		rec = rinCall(dispatcher, s.reportsList, "GET", next, "", nil)
		page = reportsPage{}
		_ = json.Unmarshal(rec.Body.Bytes(), &page)
		if len(page.Embedded.Reports) != 2 || page.Embedded.Reports[1].ID != created.ID {
			t.Errorf("second page = %+v", page.Embedded.Reports)
		}
		rec = rinCall(dispatcher, s.reportsList, "GET", "/api/v1/reports?area=7874", "", nil)
		page = reportsPage{}
		_ = json.Unmarshal(rec.Body.Bytes(), &page)
		if len(page.Embedded.Reports) != 1 || page.Embedded.Reports[0].ID != created.ID {
			t.Errorf("area filter = %+v", page.Embedded.Reports)
		}
		if rec := rinCall(dispatcher, s.reportsList, "GET", "/api/v1/reports?area=x&before=-1", "", nil); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("bad filters: %d", rec.Code)
		}

		// One report, with its details; the read is audited.
		id := strconv.FormatInt(created.ID, 10)
		rec = rinCall(dispatcher, s.reportsGet, "GET", "/api/v1/reports/"+id, "", map[string]string{"id": id})
		var got reportResource
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.Details == nil ||
			got.Details.Address != "Plant 4, 100 Industrial Blvd" || got.Details.Phone != "+15125550150" {
			t.Fatalf("get: %d %v %s", rec.Code, err, rec.Body)
		}
		entries, _ := audit.List(context.Background(), d, audit.Filter{Action: "response.report.read", Object: "report:" + id})
		if len(entries) != 1 || entries[0].Actor != "account:3" {
			t.Errorf("read audit = %+v", entries)
		}
		if rec := rinCall(dispatcher, s.reportsGet, "GET", "/api/v1/reports/999", "", map[string]string{"id": "999"}); rec.Code != http.StatusNotFound {
			t.Errorf("missing report: %d", rec.Code)
		}

		// State.
		rec = rinCall(dispatcher, s.reportsState, "POST", "/api/v1/reports/"+id+"/state", `{"state":"verifying"}`, map[string]string{"id": id})
		got = reportResource{}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != 200 || got.State != "verifying" {
			t.Errorf("state: %d %s", rec.Code, rec.Body)
		}
		rec = rinCall(dispatcher, s.reportsState, "POST", "/api/v1/reports/"+id+"/state", `{"state":"closed"}`, map[string]string{"id": id})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("verifying to closed: %d %s", rec.Code, rec.Body)
		}

		// An API key never reads reports (response.dispatch is sensitive), whatever its role says.
		key := auth.Actor{Kind: auth.KindAPIKey, ID: 4, Name: "partner", Role: auth.RoleDispatcher}
		if rec := rinCall(key, s.reportsList, "GET", "/api/v1/reports", "", nil); rec.Code != http.StatusForbidden {
			t.Errorf("API key list: %d", rec.Code)
		}
		// A partner's key may send a report (response.submit), and reads nothing back.
		partner := auth.Actor{Kind: auth.KindAPIKey, ID: 5, Name: "partner hotline", Role: auth.RolePartner}
		if rec := rinCall(partner, s.reportsCreate, "POST", "/api/v1/reports", `{"kind":"home","zip":"78702"}`, nil); rec.Code != http.StatusCreated {
			t.Errorf("partner key create: %d %s", rec.Code, rec.Body)
		}
		if rec := rinCall(partner, s.reportsList, "GET", "/api/v1/reports", "", nil); rec.Code != http.StatusForbidden {
			t.Errorf("partner key list: %d", rec.Code)
		}
	})
}
