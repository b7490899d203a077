package response

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/testkit"
)

// ralStatuses maps each recipient's phone to its status, for one alert.
func ralStatuses(t *testing.T, h *ralHarness, alertID int64) map[int64]RecipientStatus {
	t.Helper()
	rows, err := h.d.QueryContext(context.Background(), "SELECT id, status FROM response_alert_recipients WHERE alert_id = ?", alertID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]RecipientStatus{}
	for rows.Next() {
		var id int64
		var st RecipientStatus
		if err := rows.Scan(&id, &st); err != nil {
			t.Fatal(err)
		}
		out[id] = st
	}
	return out
}

// A node dies mid-send: some recipients were marked 'sending' (handed over, answer never
// recorded) and the alert's lease is left to run out. On restart the sweep queues the
// alert again; the new run calls those recipients uncertain and never sends them again,
// sends everyone else, and nobody receives the alert twice. Running it once more sends
// nothing.
func TestAlertResumesAfterCrash(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := ralNew(t, d, ralOptions{})
		ctx := context.Background()
		const count, stranded = 40, 7
		ralBulkSubscribers(t, h, count, "90001")
		report := h.report(t, StateConfirmed, KindWorkplace, "90001", "")
		a, err := h.s.CreateAlert(ctx, ralDispatcher, AlertRequest{ReportID: report, ZIPs: []string{"90001"}, BodyEn: ralBodyEn, BodyEs: ralBodyEs})
		if err != nil {
			t.Fatal(err)
		}
		// The crash: a run took the lease, claimed seven recipients and died before their
		// answers were recorded. Its lease has since run out.
		err = d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, "UPDATE response_alerts SET lease_owner = 'dead-run', lease_until = ? WHERE id = ?", tx.Now.Add(-time.Second), a.ID); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE response_alert_recipients SET status = 'sending', attempts = 1 WHERE id IN (
				SELECT id FROM response_alert_recipients WHERE alert_id = ? ORDER BY id LIMIT ?)`, a.ID, stranded)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// A live run's lease is respected: a second run started now would leave it alone.
		if n, err := h.s.ResumeAlerts(ctx); err != nil || n != 1 {
			t.Fatalf("resume queued %d runs (%v), want 1", n, err)
		}
		h.send(t, a.ID)

		got := h.alert(t, a.ID)
		if got.Status != AlertDone || got.Counts[RecipientUncertain] != stranded || got.Counts[RecipientSent] != count-stranded {
			t.Fatalf("after resuming: %+v", got.Counts)
		}
		byTo := ralByTo(h.sms.Messages())
		if len(byTo) != count-stranded {
			t.Fatalf("%d numbers received the alert, want %d", len(byTo), count-stranded)
		}
		for to, bodies := range byTo {
			if len(bodies) != 1 {
				t.Errorf("%s received the alert %d times", to, len(bodies))
			}
		}
		// Nothing is left to do, whoever asks.
		h.send(t, a.ID)
		if n, err := h.s.ResumeAlerts(ctx); err != nil || n != 0 {
			t.Errorf("resume after done: %d %v", n, err)
		}
		if n := len(h.sms.Messages()); n != count-stranded {
			t.Errorf("%d messages after running again, want %d", n, count-stranded)
		}
	})
}

// While a run holds an alert's lease, another run (a duplicate job, the sweep) leaves it
// alone and sends nothing.
func TestAlertLeaseKeepsOneRun(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := ralNew(t, d, ralOptions{})
		ctx := context.Background()
		ralBulkSubscribers(t, h, 5, "90001")
		report := h.report(t, StateConfirmed, KindHome, "90001", "")
		a, err := h.s.CreateAlert(ctx, ralDispatcher, AlertRequest{ReportID: report, ZIPs: []string{"90001"}, BodyEn: ralBodyEn, BodyEs: ralBodyEs})
		if err != nil {
			t.Fatal(err)
		}
		w := newAlertSender(h.s)
		if _, ok, err := w.takeLease(ctx, a.ID, "live-run"); err != nil || !ok {
			t.Fatalf("first lease: %v %v", ok, err)
		}
		h.send(t, a.ID)
		if n, _ := h.s.ResumeAlerts(ctx); n != 0 || len(h.sms.Messages()) != 0 {
			t.Fatalf("a second run worked under a live lease: resume %d, %d sent", n, len(h.sms.Messages()))
		}
		if st := ralStatuses(t, h, a.ID); len(st) != 5 {
			t.Fatalf("recipients %v", st)
		}
	})
}

// The provider's answers decide each recipient: a refusal fails it, a dropped connection
// after the message was sent makes it uncertain (never resent), a 5xx is retried later and
// then sent.
func TestAlertProviderAnswers(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := ralNew(t, d, ralOptions{})
		ctx := context.Background()
		ralBulkSubscribers(t, h, 4, "90001")
		report := h.report(t, StateConfirmed, KindHome, "90001", "")
		a, err := h.s.CreateAlert(ctx, ralDispatcher, AlertRequest{ReportID: report, ZIPs: []string{"90001"}, BodyEn: ralBodyEn, BodyEs: ralBodyEs})
		if err != nil {
			t.Fatal(err)
		}
		h.sms.FailNext(400, 0, 503)
		w := newAlertSender(h.s)
		w.batch = 1
		if err := w.run(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		got := h.alert(t, a.ID)
		if got.Counts[RecipientFailed] != 1 || got.Counts[RecipientUncertain] != 1 || got.Counts[RecipientSent] != 1 || got.Counts[RecipientQueued] != 1 {
			t.Fatalf("after the first run: %+v", got.Counts)
		}
		if got.Status != AlertSending {
			t.Fatalf("an alert with a retry pending is %s", got.Status)
		}
		// The retry is due in five seconds; the run scheduled for it sends it.
		if _, err := d.ExecContext(ctx, "UPDATE response_alert_recipients SET next_at = ? WHERE status = 'queued'", d.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := w.run(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		got = h.alert(t, a.ID)
		if got.Status != AlertDone || got.Counts[RecipientSent] != 2 {
			t.Fatalf("after the retry: %+v %s", got.Counts, got.Status)
		}
	})
}

// A node that stops mid-send (its context ends) hands nothing more over: what it had
// claimed but not sent goes back to the queue, nothing is left uncertain, and the lease is
// released so that the next run resumes at once and sends everyone else exactly once.
func TestAlertStopsCleanly(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		const count = 40
		h := ralNew(t, d, ralOptions{rate: 20})
		ralBulkSubscribers(t, h, count, "90001")
		report := h.report(t, StateConfirmed, KindHome, "90001", "")
		a, err := h.s.CreateAlert(context.Background(), ralDispatcher, AlertRequest{ReportID: report, ZIPs: []string{"90001"}, BodyEn: ralBodyEn, BodyEs: ralBodyEs})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
		defer cancel()
		if err := newAlertSender(h.s).run(ctx, a.ID); err == nil {
			t.Fatal("a stopped run reported success")
		}
		got := h.alert(t, a.ID)
		sent := len(h.sms.Messages())
		if sent == 0 || sent >= count || got.Counts[RecipientSent] != sent || got.Counts[RecipientQueued] != count-sent ||
			got.Counts[RecipientSending] != 0 || got.Counts[RecipientUncertain] != 0 {
			t.Fatalf("after stopping: %d sent, counts %+v", sent, got.Counts)
		}
		var lease *string
		if err := d.QueryRowContext(context.Background(), "SELECT lease_owner FROM response_alerts WHERE id = ?", a.ID).Scan(&lease); err != nil || lease != nil {
			t.Fatalf("lease after a clean stop: %v %v", lease, err)
		}
		h.send(t, a.ID)
		byTo := ralByTo(h.sms.Messages())
		if len(byTo) != count {
			t.Fatalf("%d numbers received the alert, want %d", len(byTo), count)
		}
		for to, bodies := range byTo {
			if len(bodies) != 1 {
				t.Errorf("%s received it %d times", to, len(bodies))
			}
		}
	})
}

// E-mail alerts go to the SMTP server directly, one message per subscriber in their
// language, each with its own leave link.
func TestAlertByEmail(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		srv := testkit.NewSMTPServer(t, testkit.SMTPOptions{})
		h := ralNew(t, d, ralOptions{smtp: srv})
		ctx := context.Background()
		h.subscribe(t, AlertEmail, "ana@example.org", "en", "90001")
		h.subscribe(t, AlertEmail, "beto@example.org", "es", "90001")
		report := h.report(t, StateConfirmed, KindVehicles, "90001", "")
		a, err := h.s.CreateAlert(ctx, ralDispatcher, AlertRequest{ReportID: report, ZIPs: []string{"90001"}, BodyEn: ralBodyEn, BodyEs: ralBodyEs})
		if err != nil {
			t.Fatal(err)
		}
		h.send(t, a.ID)
		if got := h.alert(t, a.ID); got.Counts[RecipientSent] != 2 {
			t.Fatalf("counts %+v", got.Counts)
		}
		byTo := map[string][2]string{}
		for _, m := range srv.Messages() {
			byTo[strings.Join(m.To, ",")] = ralMailText(t, m.Data)
		}
		ana, beto := byTo["ana@example.org"], byTo["beto@example.org"]
		if len(byTo) != 2 || ana[0] != "Rapid response alert: 90001" || !strings.Contains(ana[1], "Verified report: immigration enforcement vehicles seen near 90001") ||
			beto[0] != "Alerta de respuesta rápida: 90001" || !strings.Contains(beto[1], "Reporte verificado: vehículos de agentes de inmigración cerca de 90001") ||
			!strings.Contains(beto[1], "https://network.example.org"+LeavePath) {
			t.Errorf("mails %q", byTo)
		}
	})
}

// ralMailText returns the decoded subject and text part of a message as sent.
func ralMailText(t *testing.T, data []byte) [2]string {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	part, err := multipart.NewReader(msg.Body, params["boundary"]).NextPart()
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(part)
	if err != nil {
		t.Fatal(err)
	}
	return [2]string{subject, string(text)}
}
