package app_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/audit"
	"solidarity/internal/auth"
	"solidarity/internal/response"
)

// rinStaff is the actor tests use to look at reports behind the pages.
var rinStaff = auth.System("test")

// rinEachApp runs fn on a fresh node of every dialect with an unsealed vault (a throwaway
// key), as a running network has.
func rinEachApp(t *testing.T, fn func(t *testing.T, a *app.App)) {
	eachApp(t, func(t *testing.T, a *app.App) {
		if err := a.Vault.InitEphemeral(context.Background()); err != nil {
			t.Fatal(err)
		}
		fn(t, a)
	})
}

// rinForm is a valid public report form; extra values replace or add fields.
func rinForm(extra url.Values) url.Values {
	f := url.Values{"kind": {"home"}, "address": {"1417 Calle Ficticia, esquina con Avenida Inventada"}, "zip": {"78702"},
		"when": {"15m"}, "agents": {"4"}, "vehicles": {"2"}, "attire": {"chalecos que dicen ICE"},
		"description": {"Se llevaron al vecino de la casa azul"}, "phone": {"(512) 555-0199"}}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

// rinBoard lists the board as a dispatcher would see it.
func rinBoard(t *testing.T, a *app.App, f response.BoardFilter) []response.Report {
	t.Helper()
	list, err := a.Response.Board(context.Background(), rinStaff, f)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// rinCount counts every report, on the board or not.
func rinCount(t *testing.T, a *app.App) int {
	t.Helper()
	var n int
	if err := a.DB.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM response_reports").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// rinNewest returns the newest report.
func rinNewest(t *testing.T, a *app.App) response.Report {
	t.Helper()
	var id int64
	if err := a.DB.QueryRowContext(context.Background(), "SELECT MAX(id) FROM response_reports").Scan(&id); err != nil {
		t.Fatal(err)
	}
	r, err := a.Response.Report(context.Background(), rinStaff, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// rinCall records a report as a hotline operator would, with a callback phone.
func rinCall(t *testing.T, a *app.App, kind response.Kind, zip string) response.Report {
	t.Helper()
	r, err := a.Response.TakeCall(context.Background(), rinStaff, response.ReportInput{Kind: kind, Address: "200 Main St", ZIP: zip,
		Agents: 2, Phone: "+15125550142", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// rinPath is the page of report id.
func rinPath(id int64, suffix string) string {
	return "/response/reports/" + strconv.FormatInt(id, 10) + suffix
}

// rinAudited returns the audit entries of action about report id.
func rinAudited(t *testing.T, a *app.App, action string, id int64) []audit.Stored {
	t.Helper()
	entries, err := audit.List(context.Background(), a.DB, audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Stored
	for _, e := range entries {
		if e.Object == "report:"+strconv.FormatInt(id, 10) {
			out = append(out, e)
		}
	}
	return out
}

// rinAwayFromEdge waits, when a fixed rate-limit window of length window ends within the
// next few seconds, until the next one starts (the limiter aligns windows to the epoch).
func rinAwayFromEdge(window time.Duration) {
	left := window - time.Duration(time.Now().UnixNano()%int64(window))
	if left < 8*time.Second {
		time.Sleep(left + 100*time.Millisecond)
	}
}

var rinRowRe = regexp.MustCompile(`<tr id="report-(\d+)"`)

// rinRows returns the report ids of a board page's rows, in order.
func rinRows(body string) []int64 {
	var out []int64
	for _, m := range rinRowRe.FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, id)
	}
	return out
}

// rinDone posts form and expects a 303 to want (which may end in a #fragment), then loads
// that page (the fragment is the browser's business) and returns it.
func rinDone(g *adminAgent, path string, form url.Values, want string) adminPage {
	g.t.Helper()
	p := g.post(path, form)
	if p.Status != 303 || p.Location != want {
		g.t.Fatalf("POST %s: %d to %q, want 303 to %q\n%s", path, p.Status, p.Location, want, adminExcerpt(p.Body))
	}
	page, _, _ := strings.Cut(want, "#")
	return g.get(page)
}
