package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/auth"
	"solidarity/internal/response"
)

// rinColumns reports which of a report's sensitive columns still hold something.
func rinColumns(t *testing.T, a *app.App, id int64) map[string]bool {
	t.Helper()
	var address, description, attire, phone []byte
	var index sql.NullString
	if err := a.DB.QueryRowContext(context.Background(), `SELECT address, description, attire, reporter_phone, phone_index
		FROM response_reports WHERE id = ?`, id).Scan(&address, &description, &attire, &phone, &index); err != nil {
		t.Fatal(err)
	}
	var bodies int
	if err := a.DB.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM response_messages WHERE report_id = ? AND body IS NOT NULL", id).Scan(&bodies); err != nil {
		t.Fatal(err)
	}
	return map[string]bool{"address": address != nil, "description": description != nil, "attire": attire != nil,
		"phone": phone != nil, "index": index.Valid, "thread": bodies > 0}
}

// rinClose moves report id through verification to closed with verdict.
func rinClose(t *testing.T, a *app.App, id int64, verdict response.State) {
	t.Helper()
	ctx := context.Background()
	for _, to := range []response.State{response.StateVerifying, verdict} {
		if err := a.Response.SetState(ctx, rinStaff, id, to, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Response.SetState(ctx, rinStaff, id, response.StateClosed, response.OutcomeOther); err != nil {
		t.Fatal(err)
	}
}

// Retention: the location details of a false alarm go 7 days after it closes, the
// reporter's phone, its blind index and the SMS thread 30 days after any report closes;
// open reports keep everything.
func TestRinRetentionPurges(t *testing.T) {
	rinEachApp(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		now := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
		a.DB.Clock = func() time.Time { return now }
		in := response.ReportInput{Kind: response.KindHome, Address: "12 Elm", ZIP: "78702", Attire: "vests", Description: "two cars",
			Phone: "+15125550111", Language: "en"}
		real, err := a.Response.TakeCall(ctx, rinStaff, in)
		if err != nil {
			t.Fatal(err)
		}
		in.Phone, in.ZIP = "+15125550112", "78703"
		alarm, err := a.Response.TakeCall(ctx, rinStaff, in)
		if err != nil {
			t.Fatal(err)
		}
		in.Phone, in.ZIP = "+15125550113", "78704"
		open, err := a.Response.TakeCall(ctx, rinStaff, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{real.ID, alarm.ID, open.ID} {
			if err := a.Response.Reply(ctx, rinStaff, id, "We got your report."); err != nil {
				t.Fatal(err)
			}
		}
		rinClose(t, a, real.ID, response.StateConfirmed)
		rinClose(t, a, alarm.ID, response.StateFalseAlarm)
		everything := map[string]bool{"address": true, "description": true, "attire": true, "phone": true, "index": true, "thread": true}
		check := func(when string, id int64, want map[string]bool) {
			t.Helper()
			got := rinColumns(t, a, id)
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: report %d %s kept = %v, want %v", when, id, k, got[k], v)
				}
			}
		}
		run := func() {
			t.Helper()
			if err := a.Retention.RunAll(ctx); err != nil {
				t.Fatal(err)
			}
		}
		now = now.Add(6 * 24 * time.Hour)
		run()
		check("after 6 days", alarm.ID, everything)

		now = now.Add(2 * 24 * time.Hour)
		run()
		check("false alarm after 8 days", alarm.ID, map[string]bool{"address": false, "description": false, "attire": false, "phone": true, "index": true, "thread": true})
		check("confirmed after 8 days", real.ID, everything)

		now = now.Add(23 * 24 * time.Hour)
		run()
		nothing := map[string]bool{"phone": false, "index": false, "thread": false}
		check("false alarm after 31 days", alarm.ID, nothing)
		check("confirmed after 31 days", real.ID, map[string]bool{"address": true, "description": true, "phone": false, "index": false, "thread": false})
		check("open report", open.ID, everything)

		d, err := a.Response.Detail(ctx, rinStaff, real.ID)
		if err != nil || d.Phone != "" || len(d.Thread) != 1 || !d.Thread[0].Purged || d.Address != "12 Elm" {
			t.Errorf("detail after the purge: %v %+v", err, d)
		}
	})
}

// The raw SQLite files (database and write-ahead log) hold no plaintext of what a reporter
// typed: the address, the description, what agents wore, the phone number, nor a
// dispatcher's text to that phone.
func TestRinNoPlaintextOnDisk(t *testing.T) {
	a := openApp(t)
	ctx := context.Background()
	if err := a.Vault.InitEphemeral(ctx); err != nil {
		t.Fatal(err)
	}
	v := newVisitor(t, a, "198.51.100.20")
	if res := v.post("/report", rinForm(url.Values{"phone": {"(512) 555-0177"}})); res.Status != http.StatusSeeOther {
		t.Fatalf("report: %d", res.Status)
	}
	rep := rinNewest(t, a)
	if err := a.Response.Reply(ctx, rinStaff, rep.ID, "Dispatcher reply 7d3f: stay inside"); err != nil {
		t.Fatal(err)
	}
	d := adminAs(t, a, auth.RoleDispatcher)
	d.get(rinPath(rep.ID, "")).expect(t, "report page", http.StatusOK, "1417 Calle Ficticia")
	if _, err := a.DB.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	var files [][]byte
	for _, name := range []string{a.DB.Path(), a.DB.Path() + "-wal"} {
		b, err := os.ReadFile(name)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		files = append(files, b)
	}
	if len(files[0]) == 0 {
		t.Fatal("empty database file")
	}
	for _, secret := range []string{"Calle Ficticia", "Avenida Inventada", "chalecos que dicen", "vecino de la casa azul",
		"+15125550177", "5125550177", "555-0177", "Dispatcher reply 7d3f"} {
		for i, b := range files {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("file %d holds %q in plaintext", i, secret)
			}
		}
	}
	// The ZIP code is kept in clear on purpose (the board and the alerts need it).
	if !bytes.Contains(files[0], []byte("78702")) {
		t.Error("the ZIP code is not in the file: is this the right file?")
	}
}
