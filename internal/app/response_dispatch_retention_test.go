package app_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/response"
)

// Notes from the scene are deleted 30 days after their report closes (the update itself,
// without its note, stays in the report's history); the ids of inbound texts go after a
// week. Nothing is deleted before its time.
func TestRdiRetention(t *testing.T) {
	rdiEachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		now := time.Now().UTC()
		rdiClock(a, now)
		report := rdiReport(t, a, "10001", "5 Retention Road")
		r := rdiResponder(t, a, rdiResponderSpec{Name: "Tere", Phone: "+12015550191", ZIPs: []string{"10001"}})
		rdiDispatch(t, a, report, 1, r)
		token := rdiTokenIn(t, rdiMessagesTo(t, a, "+12015550191")[0])
		if out, err := a.Response.AnswerByLink(ctx, token, true); err != nil || out != response.AnswerAssigned {
			t.Fatalf("accept: %v %v", out, err)
		}
		if status, _, _ := rdiPage(t, a, http.MethodPost, "/respond/"+token+"/update", url.Values{"kind": {"confirmed"}, "note": {"Three agents at the door"}}, ""); status != http.StatusSeeOther {
			t.Fatalf("update: %d", status)
		}
		rdiReply(t, a, "+12015550199", "HELP")
		for _, to := range []response.State{response.StateVerifying, response.StateConfirmed, response.StateClosed} {
			if err := a.Response.SetState(ctx, rdiSystem, report, to, response.OutcomeNoArrests); err != nil {
				t.Fatalf("state %s: %v", to, err)
			}
		}
		notes := "SELECT COUNT(*) FROM response_dispatch_updates WHERE note IS NOT NULL"
		rdiClock(a, now.Add(29*24*time.Hour))
		if err := a.Retention.RunAll(ctx); err != nil {
			t.Fatal(err)
		}
		if rdiCount(t, a, notes) != 1 || rdiCount(t, a, "SELECT COUNT(*) FROM response_inbound_sms") != 0 {
			t.Error("after 29 days: the note is gone too early, or the inbound id is kept too long")
		}
		rdiClock(a, now.Add(31*24*time.Hour))
		if err := a.Retention.RunAll(ctx); err != nil {
			t.Fatal(err)
		}
		if n := rdiCount(t, a, notes); n != 0 {
			t.Errorf("%d notes left 31 days after the report closed", n)
		}
		if n := rdiCount(t, a, "SELECT COUNT(*) FROM response_dispatch_updates"); n != 1 {
			t.Errorf("%d updates left, want the update without its note", n)
		}
	})
}
