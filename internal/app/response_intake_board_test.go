package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/notify"
	"solidarity/internal/response"
)

// A dispatcher moves a report along the loop: only allowed changes pass, each is in the
// report's history with the dispatcher's name and in the audit log, and closing needs an
// outcome; a closed report leaves the board.
func TestRinStateTransitionsAndAudit(t *testing.T) {
	rinEachApp(t, func(t *testing.T, a *app.App) {
		rep := rinCall(t, a, response.KindArrest, "78701")
		d := adminAs(t, a, auth.RoleDispatcher)
		state := func(to, outcome string) adminPage {
			return d.post(rinPath(rep.ID, "/state"), url.Values{"state": {to}, "outcome": {outcome}})
		}
		d.post(rinPath(rep.ID, "/state"), url.Values{"state": {"confirmed"}}).expect(t, "new to confirmed",
			http.StatusUnprocessableEntity, d.tr("response.error.state_not_allowed"))
		for _, to := range []string{"verifying", "confirmed"} {
			if p := state(to, ""); p.Status != http.StatusSeeOther || p.Location != rinPath(rep.ID, "") {
				t.Fatalf("to %s: %d %q\n%s", to, p.Status, p.Location, adminExcerpt(p.Body))
			}
		}
		state("closed", "").expect(t, "close without outcome", http.StatusUnprocessableEntity, d.tr("response.error.outcome_required"))
		state("closed", "nonsense").expect(t, "close with a made-up outcome", http.StatusUnprocessableEntity, d.tr("response.error.outcome_required"))
		if got := rinBoard(t, a, response.BoardFilter{}); len(got) != 1 || got[0].State != response.StateConfirmed {
			t.Fatalf("board after confirming: %+v", got)
		}
		p := d.postDone(rinPath(rep.ID, "/state"), url.Values{"state": {"closed"}, "outcome": {"no_arrests"}}, rinPath(rep.ID, ""))
		p.expect(t, "closed report", http.StatusOK, d.tr("response.report.state_saved"), d.tr("response.outcome_no_arrests"),
			"Holder of Dispatcher", d.tr("response.history.state", map[string]any{"From": d.tr("response.state.new"), "To": d.tr("response.state.verifying")}))
		if got := rinBoard(t, a, response.BoardFilter{}); len(got) != 0 {
			t.Errorf("a closed report is on the board: %+v", got)
		}
		if got := rinBoard(t, a, response.BoardFilter{State: response.StateClosed}); len(got) != 1 || got[0].Verdict != response.StateConfirmed {
			t.Errorf("closed list: %+v", got)
		}
		state("verifying", "").expect(t, "reopen", http.StatusUnprocessableEntity, d.tr("response.error.state_not_allowed"))
		entries := rinAudited(t, a, "response.report.state", rep.ID)
		if len(entries) != 3 {
			t.Fatalf("%d state audit entries, want 3", len(entries))
		}
		for _, e := range entries {
			if !strings.HasPrefix(e.Actor, "account:") || e.ActorName != "Holder of Dispatcher" {
				t.Errorf("audit entry %+v does not name the dispatcher", e)
			}
		}
		if !strings.Contains(entries[0].Detail, "to=closed") || !strings.Contains(entries[0].Detail, "outcome=no_arrests") {
			t.Errorf("closing entry detail %q", entries[0].Detail)
		}
		// Roles without response.dispatch cannot change a state, even through the service.
		org := auth.Actor{Kind: auth.KindAccount, ID: 99, Role: auth.RoleOrganizer}
		if err := a.Response.SetState(context.Background(), org, rep.ID, response.StateVerifying, ""); err == nil {
			t.Error("an organizer changed a report's state")
		}
	})
}

// The verification checklist: ticking items names who and when; dispatchers configure the
// items (a new one in both languages, a retired built-in one) and reports show them.
func TestRinChecklist(t *testing.T) {
	rinEachApp(t, func(t *testing.T, a *app.App) {
		rep := rinCall(t, a, response.KindHome, "78702")
		d := adminAs(t, a, auth.RoleDispatcher)
		items, err := a.Response.Checklist(context.Background(), rinStaff)
		if err != nil || len(items) != 4 {
			t.Fatalf("default checklist: %v %+v", err, items)
		}
		onScene, media := items[0], items[1]
		page := rinDone(d, rinPath(rep.ID, "/checks"), url.Values{"item": {strconv.FormatInt(onScene.ID, 10), strconv.FormatInt(media.ID, 10)}},
			rinPath(rep.ID, "#checklist"))
		page.expect(t, "checked", http.StatusOK, d.tr("response.checklist.by", map[string]any{"By": "Holder of Dispatcher"}),
			d.tr("response.history.checked", map[string]any{"Item": d.tr("response.checklist.item.on_scene")}))
		rinDone(d, rinPath(rep.ID, "/checks"), url.Values{"item": {strconv.FormatInt(media.ID, 10)}}, rinPath(rep.ID, "#checklist")).
			expect(t, "unchecked", http.StatusOK, d.tr("response.history.unchecked", map[string]any{"Item": d.tr("response.checklist.item.on_scene")}))
		if n := len(rinAudited(t, a, "response.report.checked", rep.ID)); n != 2 {
			t.Errorf("%d check audit entries, want 2", n)
		}
		d.post(rinPath(rep.ID, "/checks"), url.Values{"item": {"9999"}}).expect(t, "unknown item", http.StatusUnprocessableEntity)

		// Settings: add an item, retire a built-in one.
		d.post("/response/checklist", url.Values{"id": {"0"}, "label_en": {"Lawyer called"}, "position": {"5"}, "active": {"yes"}}).
			expect(t, "label missing", http.StatusUnprocessableEntity, d.tr("response.error.checklist_label_required"))
		d.postDone("/response/checklist", url.Values{"id": {"0"}, "label_en": {"Lawyer called"}, "label_es": {"Se llamó a un abogado"},
			"position": {"5"}, "active": {"yes"}}, "/response/checklist").expect(t, "added", http.StatusOK, "Lawyer called")
		d.postDone("/response/checklist", url.Values{"id": {strconv.FormatInt(items[3].ID, 10)}, "position": {"4"}}, "/response/checklist").
			expect(t, "retired", http.StatusOK, d.tr("response.checklist.retired"))
		p := d.get(rinPath(rep.ID, ""))
		p.expect(t, "report page", http.StatusOK, "Lawyer called")
		p.lacks(t, "report page", d.tr("response.checklist.item.agency"))
		d.lang = "es"
		d.get(rinPath(rep.ID, "")).expect(t, "report page in Spanish", http.StatusOK, "Se llamó a un abogado")
	})
}

// A duplicate is merged into another report: it leaves the board, the other counts it, both
// histories say so; merging into itself or into nothing is refused.
func TestRinMerge(t *testing.T) {
	rinEachApp(t, func(t *testing.T, a *app.App) {
		first := rinCall(t, a, response.KindHome, "78702")
		dup := rinCall(t, a, response.KindHome, "78703")
		d := adminAs(t, a, auth.RoleDispatcher)
		d.post(rinPath(dup.ID, "/merge"), url.Values{"into": {strconv.FormatInt(dup.ID, 10)}}).
			expect(t, "into itself", http.StatusUnprocessableEntity, d.tr("response.error.merge_self"))
		d.post(rinPath(dup.ID, "/merge"), url.Values{"into": {"424242"}}).
			expect(t, "into nothing", http.StatusUnprocessableEntity, d.tr("response.error.merge_into_not_found"))
		p := rinDone(d, rinPath(dup.ID, "/merge"), url.Values{"into": {"#" + strconv.FormatInt(first.ID, 10)}}, rinPath(dup.ID, ""))
		p.expect(t, "merged report", http.StatusOK, d.tr("response.report.merged_into"),
			d.tr("response.history.merged_into", map[string]any{"Ref": "#" + strconv.FormatInt(first.ID, 10)}))
		board := rinBoard(t, a, response.BoardFilter{})
		if len(board) != 1 || board[0].ID != first.ID || board[0].Grouped != 1 {
			t.Fatalf("board after merge: %+v", board)
		}
		d.get(rinPath(first.ID, "")).expect(t, "kept report", http.StatusOK,
			d.tr("response.history.merged", map[string]any{"Ref": "#" + strconv.FormatInt(dup.ID, 10)}), d.tr("response.report.members"))
		d.post(rinPath(dup.ID, "/state"), url.Values{"state": {"verifying"}}).expect(t, "merged state", http.StatusConflict)
		if n := len(rinAudited(t, a, "response.report.merge", dup.ID)); n != 1 {
			t.Errorf("%d merge audit entries", n)
		}
		// Closing the kept report closes the merged one with it.
		ctx := context.Background()
		for _, to := range []response.State{response.StateVerifying, response.StateFalseAlarm} {
			if err := a.Response.SetState(ctx, rinStaff, first.ID, to, ""); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.Response.SetState(ctx, rinStaff, first.ID, response.StateClosed, response.OutcomeFalseAlarm); err != nil {
			t.Fatal(err)
		}
		got, _ := a.Response.Report(ctx, rinStaff, dup.ID)
		if got.State != response.StateClosed || got.Verdict != response.StateFalseAlarm || got.ClosedAt == nil {
			t.Errorf("merged report after closing the kept one: %+v", got)
		}
	})
}

// Follow-up tasks: added with an owner and a due time, marked done and open again; a
// bad owner is refused.
func TestRinTasks(t *testing.T) {
	rinEachApp(t, func(t *testing.T, a *app.App) {
		rep := rinCall(t, a, response.KindHome, "78702")
		d := adminAs(t, a, auth.RoleDispatcher)
		organizer := account(t, a, "org@example.org", "Olga Organizer", auth.RoleOrganizer)
		owners, err := a.Response.TaskOwners(context.Background(), rinStaff)
		if err != nil || len(owners) != 1 || owners[0].Name != "Holder of Dispatcher" {
			t.Fatalf("owners %+v %v", owners, err)
		}
		d.post(rinPath(rep.ID, "/tasks"), url.Values{"kind": {"legal_referral"}, "owner": {strconv.FormatInt(organizer.ID, 10)}, "due": {"24h"}}).
			expect(t, "organizer as owner", http.StatusUnprocessableEntity, d.tr("response.error.task_owner"))
		d.post(rinPath(rep.ID, "/tasks"), url.Values{"kind": {"legal_referral"}, "owner": {strconv.FormatInt(owners[0].ID, 10)}, "due": {"never"}}).
			expect(t, "bad due", http.StatusUnprocessableEntity, d.tr("response.error.task_due"))
		p := rinDone(d, rinPath(rep.ID, "/tasks"), url.Values{"kind": {"legal_referral"}, "owner": {strconv.FormatInt(owners[0].ID, 10)}, "due": {"24h"}},
			rinPath(rep.ID, "#tasks"))
		p.expect(t, "task added", http.StatusOK, d.tr("response.task.kind.legal_referral"), d.tr("response.task.open"),
			d.tr("response.history.task", map[string]any{"Task": d.tr("response.task.kind.legal_referral")}))
		detail, err := a.Response.Detail(context.Background(), rinStaff, rep.ID)
		if err != nil || len(detail.Tasks) != 1 {
			t.Fatalf("tasks: %v %+v", err, detail.Tasks)
		}
		task := detail.Tasks[0]
		if task.OwnerID != owners[0].ID || task.DueAt.Sub(task.CreatedAt).Hours() != 24 {
			t.Errorf("task = %+v", task)
		}
		done := "/response/tasks/" + strconv.FormatInt(task.ID, 10) + "/done"
		rinDone(d, done, url.Values{"done": {"yes"}}, rinPath(rep.ID, "#tasks")).
			expect(t, "done", http.StatusOK, d.tr("response.task.done_by", map[string]any{"DoneBy": "Holder of Dispatcher"}))
		rinDone(d, done, url.Values{"done": {"no"}}, rinPath(rep.ID, "#tasks")).
			expect(t, "open again", http.StatusOK, d.tr("response.history.task_reopened", map[string]any{"Task": d.tr("response.task.kind.legal_referral")}))
		d.post("/response/tasks/424242/done", url.Values{"done": {"yes"}}).expect(t, "no such task", http.StatusNotFound)
	})
}

// A dispatcher texts the reporter from the report's page: the SMS is queued to the
// reporter's phone (kept encrypted in the delivery log) and stays in the thread; a report
// without a phone cannot be answered.
func TestRinReplyThread(t *testing.T) {
	rinEachApp(t, func(t *testing.T, a *app.App) {
		rep := rinCall(t, a, response.KindHome, "78702")
		d := adminAs(t, a, auth.RoleDispatcher)
		d.post(rinPath(rep.ID, "/reply"), url.Values{"body": {""}}).expect(t, "empty reply", http.StatusUnprocessableEntity, d.tr("response.error.reply_required"))
		d.post(rinPath(rep.ID, "/reply"), url.Values{"body": {strings.Repeat("x", response.MaxReply+1)}}).
			expect(t, "long reply", http.StatusUnprocessableEntity, d.tr("response.error.reply"))
		p := rinDone(d, rinPath(rep.ID, "/reply"), url.Values{"body": {"We are sending someone. Stay inside."}}, rinPath(rep.ID, "#thread"))
		p.expect(t, "thread", http.StatusOK, "We are sending someone. Stay inside.", d.tr("response.thread.from_staff", map[string]any{"AuthorName": "Holder of Dispatcher"}))
		list, err := a.Notify.Outbox(context.Background(), notify.Page{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var sms []notify.Delivery
		for _, m := range list.Deliveries {
			if m.Purpose == "response.reply" {
				sms = append(sms, m)
			}
		}
		if len(sms) != 1 || sms[0].To != "+15125550142" || sms[0].Text != "We are sending someone. Stay inside." || !sms[0].Sealed {
			t.Errorf("reply SMS = %+v", sms)
		}
		quiet, err := a.Response.TakeCall(context.Background(), rinStaff, response.ReportInput{Kind: response.KindOther, ZIP: "78702"})
		if err != nil {
			t.Fatal(err)
		}
		d.get(rinPath(quiet.ID, "")).expect(t, "no phone", http.StatusOK, d.tr("response.thread.no_phone"))
		d.post(rinPath(quiet.ID, "/reply"), url.Values{"body": {"hello"}}).expect(t, "reply without phone", http.StatusUnprocessableEntity, d.tr("response.error.reply_no_phone"))
	})
}

// The hotline console: keyboard first (focus on the first field), records a report with
// source hotline, lists it; bad input comes back.
func TestRinConsole(t *testing.T) {
	rinEachApp(t, func(t *testing.T, a *app.App) {
		d := adminAs(t, a, auth.RoleDispatcher)
		d.get("/response/console").expect(t, "console", http.StatusOK, d.tr("response.console.title"), `autofocus`)
		d.post("/response/console", url.Values{"kind": {""}}).expect(t, "empty", http.StatusUnprocessableEntity, d.tr("response.error.kind"))
		p := d.postDone("/response/console", url.Values{"kind": {"checkpoint"}, "address": {"Riverside and Pleasant Valley"}, "zip": {"78741"},
			"when": {"now"}, "agents": {"6"}, "phone": {"512 555 0123"}, "language": {"es"}}, "/response/console")
		p.expect(t, "recorded", http.StatusOK, d.tr("response.console.saved"), d.tr("response.kind_checkpoint"), "78741")
		rep := rinNewest(t, a)
		if rep.Source != response.SourceHotline || rep.Language != "es" || !rep.HasPhone || rep.Agents != 6 {
			t.Errorf("console report = %+v", rep)
		}
		if e := rinAudited(t, a, "response.report.create", rep.ID); len(e) != 1 || e[0].ActorName != "Holder of Dispatcher" {
			t.Errorf("create audit = %+v", e)
		}
	})
}

// The board's filters by area (a ZIP prefix) and state; a bad area is refused on the page.
func TestRinBoardFilters(t *testing.T) {
	rinEachApp(t, func(t *testing.T, a *app.App) {
		austin := rinCall(t, a, response.KindHome, "78702")
		houston := rinCall(t, a, response.KindHome, "77002")
		if err := a.Response.SetState(context.Background(), rinStaff, houston.ID, response.StateVerifying, ""); err != nil {
			t.Fatal(err)
		}
		d := adminAs(t, a, auth.RoleDispatcher)
		if got := rinRows(d.get("/response").Raw); len(got) != 2 || got[0] != houston.ID {
			t.Errorf("all rows %v, want newest first", got)
		}
		if got := rinRows(d.get("/response?area=787").Raw); len(got) != 1 || got[0] != austin.ID {
			t.Errorf("area 787: %v", got)
		}
		if got := rinRows(d.get("/response?state=verifying").Raw); len(got) != 1 || got[0] != houston.ID {
			t.Errorf("verifying: %v", got)
		}
		d.get("/response?area=abc").expect(t, "bad area", http.StatusUnprocessableEntity, d.tr("response.error.area"))
		row := d.get(rinPath(austin.ID, "/row?area=787"))
		row.expect(t, "row", http.StatusOK, `<tr id="report-`+strconv.FormatInt(austin.ID, 10)+`"`)
		if strings.Contains(row.Body, "<html") {
			t.Error("the row is a whole page")
		}
		if p := d.get(rinPath(austin.ID, "/row?area=770")); p.Status != http.StatusNoContent {
			t.Errorf("row outside the filter: %d", p.Status)
		}
	})
}
