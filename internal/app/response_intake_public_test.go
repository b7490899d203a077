package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/response"
)

// A neighbour reports a raid in Spanish on the public page, without an account; it is on
// the board at once, and its page shows the details to a dispatcher (a read that is
// audited).
func TestRinPublicReportReachesBoard(t *testing.T) {
	rinEachApp(t, func(t *testing.T, a *app.App) {
		v := newVisitor(t, a, "198.51.100.7")
		page := v.get("/report?lang=es")
		must(t, "report page in Spanish", page, http.StatusOK, es(a, "response_intake.report.title"),
			es(a, "response_intake.privacy.title"), es(a, "response_intake.privacy.who"), `name="website"`, `action="/report"`)
		mustNot(t, "report page", page, "<script")

		res := v.post("/report", rinForm(nil))
		if res.Status != http.StatusSeeOther || res.Location != "/report/thanks" {
			t.Fatalf("report: %d %q\n%s", res.Status, res.Location, res.Body)
		}
		must(t, "thanks", v.follow(res), http.StatusOK, es(a, "response_intake.thanks.title"))

		board := rinBoard(t, a, response.BoardFilter{})
		if len(board) != 1 {
			t.Fatalf("board has %d reports, want 1", len(board))
		}
		rep := board[0]
		if rep.Kind != response.KindHome || rep.ZIP != "78702" || rep.Source != response.SourceWeb || rep.State != response.StateNew ||
			rep.Language != "es" || rep.Agents != 4 || rep.Vehicles != 2 || !rep.HasPhone {
			t.Errorf("stored report = %+v", rep)
		}

		d := adminAs(t, a, auth.RoleDispatcher)
		b := d.get("/response")
		b.expect(t, "board", http.StatusOK, "#"+strconv.FormatInt(rep.ID, 10), "78702", d.tr("response.kind_home"),
			d.tr("response.state.new"), `http-equiv="refresh"`, "board.js")
		if got := rinRows(b.Raw); len(got) != 1 || got[0] != rep.ID {
			t.Errorf("board rows %v", got)
		}
		b.lacks(t, "board", "Calle Ficticia", "555-0199") // the board reads no sensitive field

		p := d.get(rinPath(rep.ID, ""))
		p.expect(t, "report page", http.StatusOK, "1417 Calle Ficticia, esquina con Avenida Inventada", "chalecos que dicen ICE",
			"Se llevaron al vecino de la casa azul", "+15125550199", d.tr("response.history.by_public"))
		reads := rinAudited(t, a, "response.report.read", rep.ID)
		if len(reads) != 1 || !strings.HasPrefix(reads[0].Actor, "account:") || strings.Contains(reads[0].Detail, "Ficticia") {
			t.Errorf("read audit = %+v", reads)
		}
	})
}

// Every answer past the rate limit is the same redirect to the same page: a stored report,
// a report grouped into another by flood detection, and a robot caught by the honeypot
// (which stores nothing).
func TestRinSameAnswerWhateverHappened(t *testing.T) {
	rinEachApp(t, func(t *testing.T, a *app.App) {
		v := newVisitor(t, a, "198.51.100.8")
		var pages []string
		for _, form := range []url.Values{
			rinForm(nil), // stored
			rinForm(url.Values{"address": {"next door"}}),                             // grouped into the first
			rinForm(url.Values{"website": {"http://spam.example"}, "zip": {"10001"}}), // honeypot
		} {
			res := v.post("/report", form)
			if res.Status != http.StatusSeeOther || res.Location != "/report/thanks" {
				t.Fatalf("answer %d %q", res.Status, res.Location)
			}
			pages = append(pages, v.follow(res).Body)
		}
		if pages[0] != pages[1] || pages[1] != pages[2] {
			t.Error("the thank-you pages differ")
		}
		if n := rinCount(t, a); n != 2 {
			t.Errorf("%d reports stored, want 2 (the honeypot stores nothing)", n)
		}
		if board := rinBoard(t, a, response.BoardFilter{}); len(board) != 1 || board[0].Grouped != 1 {
			t.Errorf("board = %+v, want one entry grouping two reports", board)
		}
	})
}

// One client may send a few reports; then the page answers 429 with Retry-After and the
// wait, keeping what was typed.
func TestRinRateLimit(t *testing.T) {
	a := openApp(t)
	if err := a.Vault.InitEphemeral(context.Background()); err != nil {
		t.Fatal(err)
	}
	rinAwayFromEdge(response.ReportClientWindow)
	v := newVisitor(t, a, "203.0.113.50")
	for i := range response.ReportClientLimit {
		res := v.post("/report", rinForm(url.Values{"zip": {strconv.Itoa(10000 + i)}}))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("report %d: %d", i+1, res.Status)
		}
	}
	res := v.post("/report", rinForm(url.Values{"zip": {"20001"}}))
	must(t, "over the limit", res, http.StatusTooManyRequests, "1417 Calle Ficticia", "20001")
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	if n := rinCount(t, a); n != response.ReportClientLimit {
		t.Errorf("%d reports stored, want %d", n, response.ReportClientLimit)
	}
	// Another client is not held back.
	if res := newVisitor(t, a, "203.0.113.51").post("/report", rinForm(nil)); res.Status != http.StatusSeeOther {
		t.Errorf("another client: %d", res.Status)
	}
}

// Bad input comes back with every problem next to its field, stores nothing, and an empty
// form does not fail.
func TestRinBadInput(t *testing.T) {
	rinEachApp(t, func(t *testing.T, a *app.App) {
		v := newVisitor(t, a, "198.51.100.9")
		res := v.post("/report", url.Values{})
		must(t, "empty form", res, http.StatusUnprocessableEntity, en(a, "response.error.kind"), en(a, "response.error.where_required"),
			`id="kind-error"`, `aria-invalid="true"`)
		res = v.post("/report", rinForm(url.Values{"phone": {"12"}, "zip": {"7870"}, "agents": {"many"}, "when": {"earlier"}, "hours": {"500"}}))
		must(t, "bad fields", res, http.StatusUnprocessableEntity, en(a, "response.error.phone"), en(a, "response.error.zip"),
			en(a, "response.error.count"), en(a, "response.error.when"), "chalecos que dicen ICE")
		if n := rinCount(t, a); n != 0 {
			t.Errorf("%d reports stored from bad input", n)
		}
	})
}

// A sealed vault cannot store a report's details encrypted: the page refuses it plainly
// (503), gives the hotline number, and keeps what was typed so nothing is lost.
func TestRinSealedVaultRefusesWithHotline(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		a.Config.SMSFrom = "+15125550100"
		v := newVisitor(t, a, "198.51.100.10")
		v.get("/report?lang=es")
		res := v.post("/report", rinForm(nil))
		must(t, "sealed", res, http.StatusServiceUnavailable, es(a, "response_intake.report.sealed"), "15125550100",
			"1417 Calle Ficticia, esquina con Avenida Inventada", "chalecos que dicen ICE")
		if n := rinCount(t, a); n != 0 {
			t.Errorf("%d reports stored while sealed", n)
		}
	})
}

// Flood detection: many public reports of one kind in one ZIP code within the window are
// one board entry with a count; another kind, another ZIP code, a later report, and a
// hotline call each stand on their own.
func TestRinFloodGrouping(t *testing.T) {
	rinEachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		d := adminAs(t, a, auth.RoleDispatcher)
		file := func(kind, zip string) {
			t.Helper()
			in := response.ReportInput{Kind: response.Kind(kind), ZIP: zip, Address: "somewhere", Language: "en"}
			if err := a.Response.FileReport(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		for range 5 {
			file("workplace", "78741")
		}
		file("checkpoint", "78741")
		file("workplace", "78744")
		rinCall(t, a, response.KindWorkplace, "78741")
		board := rinBoard(t, a, response.BoardFilter{})
		if len(board) != 4 {
			t.Fatalf("board has %d entries, want 4: %+v", len(board), board)
		}
		grouped := map[string]int{}
		for _, r := range board {
			grouped[string(r.Kind)+" "+r.ZIP+" "+r.Source] = r.Grouped
		}
		if grouped["workplace 78741 web"] != 4 || grouped["workplace 78741 hotline"] != 0 {
			t.Errorf("grouping = %v", grouped)
		}
		d.get("/response").expect(t, "board", http.StatusOK, d.a.Catalog.Localizer("en").N("response.board.grouped", 5))
		if n := rinCount(t, a); n != 8 {
			t.Errorf("%d reports stored, want 8 (grouped reports are kept)", n)
		}
		// A burst at the same moment (from several nodes, say) still makes one entry.
		var wg sync.WaitGroup
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := a.Response.FileReport(ctx, response.ReportInput{Kind: response.KindArrest, ZIP: "78750", Language: "en"}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if got := rinBoard(t, a, response.BoardFilter{Area: "78750"}); len(got) != 1 || got[0].Grouped != 5 {
			t.Errorf("a burst made %+v, want one entry grouping six", got)
		}
		if got := rinBoard(t, a, response.BoardFilter{Area: "787"}); len(got) != 5 {
			t.Fatalf("board has %d entries, want 5", len(got))
		}

		// The hotline call is now the newest open entry of its kind and ZIP: a later web
		// report joins it; one filed after the window stands alone.
		file("workplace", "78741")
		if got := rinBoard(t, a, response.BoardFilter{}); len(got) != 5 {
			t.Errorf("after one more: %d entries", len(got))
		}
		now := a.DB.Now()
		a.DB.Clock = func() time.Time { return now.Add(response.FloodWindow + time.Minute) }
		file("workplace", "78741")
		if got := rinBoard(t, a, response.BoardFilter{}); len(got) != 6 {
			t.Errorf("after the window: %d entries, want 6", len(got))
		}
	})
}
