package app_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/config"
	"solidarity/internal/db"
	"solidarity/internal/response"
	"solidarity/internal/testkit"
	"solidarity/internal/vault"
)

// A node dies in the middle of an alert: it had claimed three recipients (marked
// 'sending', maybe handed over) when it went down, and its lease on the alert was left to
// run out. The node starts again on the same database: River still holds the alert's job
// and the sweep finds the alert unfinished, so the send resumes by itself. The three
// become uncertain and are never sent again; everyone else receives the alert once.
func TestAlertsResumeAfterRestart(t *testing.T) {
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			ctx := context.Background()
			sms := testkit.NewSMSServer(t)
			keyPath := filepath.Join(t.TempDir(), "vault.key")
			if err := os.WriteFile(keyPath, vault.GenerateKeyFile(), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg := config.Default()
			cfg.DataDir = t.TempDir()
			cfg.BaseURL = "https://alerts.example.org"
			cfg.SMSURL, cfg.SMSAccount, cfg.SMSToken, cfg.SMSFrom = sms.URL, sms.Account, sms.Token, "+15005550006"
			cfg.SMSRate = 200
			if dialect == db.Postgres {
				cfg.DatabaseURL = testkit.FreshSchema(t)
			}
			first, err := app.Open(ctx, cfg, testkit.Logger())
			if err != nil {
				t.Fatal(err)
			}
			key, _ := os.ReadFile(keyPath)
			if err := first.Vault.Init(ctx, vault.KeyFile(key)); err != nil {
				t.Fatal(err)
			}
			n := ralNode{App: first, sms: sms}
			phones := []string{"+12135550121", "+12135550122", "+12135550123", "+12135550124", "+12135550125", "+12135550126", "+12135550127"}
			for i, p := range phones {
				ralSubscribe(t, n, response.AlertSMS, p, []string{"en", "es"}[i%2], "90001")
			}
			report := ralReport(t, first, "90001", "31 Cedar Court", true)
			al, err := first.Response.CreateAlert(ctx, ralSystem, response.AlertRequest{ReportID: report, ZIPs: []string{"90001"},
				BodyEn: "Restart test: agents near {{.Area}}.", BodyEs: "Restart test: agentes cerca de {{.Area}}."})
			if err != nil {
				t.Fatal(err)
			}
			err = first.DB.InTx(ctx, func(tx *db.Tx) error {
				if _, err := tx.ExecContext(ctx, "UPDATE response_alerts SET lease_owner = 'died', lease_until = ? WHERE id = ?", tx.Now.Add(-time.Minute), al.ID); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, `UPDATE response_alert_recipients SET status = 'sending', attempts = 1 WHERE id IN (
					SELECT id FROM response_alert_recipients WHERE alert_id = ? ORDER BY id LIMIT 3)`, al.ID)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := first.Close(); err != nil {
				t.Fatal(err)
			}

			cfg.VaultKeyFile = keyPath
			second, err := app.Open(ctx, cfg, testkit.Logger())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { second.Close() })
			n = ralNode{App: second, sms: sms}
			n.start(t)
			done := ralWaitDone(t, second, al.ID)
			if done.Counts[response.RecipientUncertain] != 3 || done.Counts[response.RecipientSent] != len(phones)-3 {
				t.Fatalf("after the restart: %+v", done.Counts)
			}
			got := ralTexts(n, "Restart test")
			if len(got) != len(phones)-3 {
				t.Fatalf("%d numbers received the alert, want %d", len(got), len(phones)-3)
			}
			for to, bodies := range got {
				if len(bodies) != 1 {
					t.Errorf("%s received the alert %d times", to, len(bodies))
				}
			}
		})
	}
}
