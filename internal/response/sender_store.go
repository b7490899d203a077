package response

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/jobs"
	"solidarity/internal/notify"
)

// alertJob is what a run knows of its alert: the ready texts per language.
type alertJob struct {
	id       int64
	reportID int64
	kind     AlertKind
	area     string
	sms      map[string]string // language → SMS body, with the stop notice
	text     map[string]string // language → alert text
}

// alertMessage is one claimed recipient, ready to hand over.
type alertMessage struct {
	id       int64
	channel  AlertChannel
	attempts int // including this one
	sms      notify.SMS
	email    notify.Email
}

// alertOutcome is what became of one message.
type alertOutcome struct {
	id       int64
	status   RecipientStatus // sent, failed, uncertain or skipped
	retry    bool            // the provider certainly did not take it
	code     string
	attempts int
	// notAttempted: the run stopped before handing it over; it goes back to the queue.
	notAttempted bool
}

// alertSystem is the actor the sender works as, in the audit log.
var alertSystem = auth.System("alerts")

// takeLease makes this run the alert's only one, if the alert is still sending and no
// other run holds it (or the one that did let its lease run out, having died). Recipients
// a dead run left in 'sending' may have been handed over: they become uncertain and are
// never sent again.
func (w *alertSender) takeLease(ctx context.Context, id int64, owner string) (*alertJob, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var a *alertJob
	var stranded int64
	err := w.s.db.InTx(ctx, func(tx *db.Tx) error {
		a, stranded = nil, 0
		var report *int64
		var kind, zips, en, es string
		var status AlertStatus
		err := tx.QueryRowContext(ctx, "SELECT report_id, kind, zips, body_en, body_es, status FROM response_alerts WHERE id = ?", id).
			Scan(&report, &kind, &zips, &en, &es, &status)
		if err != nil {
			return db.Translate(err, "alerts.alert.not_found", "")
		}
		if status != AlertSending {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE response_alerts SET lease_owner = ?, lease_until = ?
			WHERE id = ? AND status = 'sending' AND (lease_until IS NULL OR lease_until < ?)`, owner, tx.Now.Add(alertLease), id, tx.Now)
		if err != nil {
			return fmt.Errorf("response: take alert lease: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		res, err = tx.ExecContext(ctx, `UPDATE response_alert_recipients SET status = 'uncertain', error = 'interrupted', updated_at = ?
			WHERE alert_id = ? AND status = 'sending'`, tx.Now, id)
		if err != nil {
			return fmt.Errorf("response: mark stranded recipients: %w", err)
		}
		stranded, _ = res.RowsAffected()
		a = &alertJob{id: id, kind: AlertKind(kind), area: strings.ReplaceAll(zips, ",", ", "),
			text: map[string]string{"en": en, "es": es}, sms: map[string]string{}}
		if report != nil {
			a.reportID = *report
		}
		for lang, body := range a.text {
			a.sms[lang] = body + "\n\n" + w.s.catalog.Localizer(lang).T("alerts.sms.stop")
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	if stranded > 0 {
		w.s.log.Warn("response: alert resumed: recipients an earlier run left mid-send are uncertain and not sent again",
			"alert", id, "uncertain", stranded)
	}
	return a, a != nil, nil
}

// claim renews the lease and moves the next batch of due recipients from queued to sending
// in one committed transaction, decrypting their contacts (the reads audited as one entry
// per batch). Recipients whose subscriber left are skipped. A sealed vault claims nothing.
func (w *alertSender) claim(ctx context.Context, a *alertJob, owner string) ([]alertMessage, error) {
	for {
		batch, skipped, err := w.claimOnce(ctx, a, owner)
		if err != nil || len(batch) > 0 || skipped == 0 {
			return batch, err
		}
		// Only subscribers who left: look again, there may be more behind them.
	}
}

// claimOnce claims one batch; skipped is how many recipients it skipped.
func (w *alertSender) claimOnce(ctx context.Context, a *alertJob, owner string) ([]alertMessage, int, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	// Once started, the claim commits or fails on its own terms: a cancellation in the
	// middle of COMMIT could leave it committed while this run believes it failed, and
	// the recipients stranded in 'sending'.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var batch []alertMessage
	var skipped []int64
	err := w.s.db.InTx(ctx, func(tx *db.Tx) error {
		batch, skipped = batch[:0], skipped[:0]
		res, err := tx.ExecContext(ctx, "UPDATE response_alerts SET lease_until = ? WHERE id = ? AND lease_owner = ? AND status = 'sending'",
			tx.Now.Add(alertLease), a.id, owner)
		if err != nil {
			return fmt.Errorf("response: renew alert lease: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errAlertLeaseLost
		}
		rows, err := tx.QueryContext(ctx, `SELECT r.id, r.channel, r.language, r.attempts, s.id, s.contact, s.leave_token
			FROM response_alert_recipients r LEFT JOIN response_subscribers s ON s.id = r.subscriber_id AND s.status = 'active'
			WHERE r.alert_id = ? AND r.status = 'queued' AND (r.next_at IS NULL OR r.next_at <= ?)
			ORDER BY r.id LIMIT ?`, a.id, tx.Now, w.batch)
		if err != nil {
			return fmt.Errorf("response: claim recipients: %w", err)
		}
		type row struct {
			id, sub          int64
			channel          AlertChannel
			lang             string
			attempts         int
			contact, leaveCT []byte
		}
		var found []row
		for rows.Next() {
			var r row
			var sub *int64
			if err := rows.Scan(&r.id, &r.channel, &r.lang, &r.attempts, &sub, &r.contact, &r.leaveCT); err != nil {
				rows.Close()
				return err
			}
			if sub != nil {
				r.sub = *sub
			}
			found = append(found, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var sending []int64
		for _, r := range found {
			if r.sub == 0 || len(r.contact) == 0 {
				skipped = append(skipped, r.id)
				continue
			}
			contact, err := w.s.vault.DecryptString("response_subscribers", r.sub, "contact", r.contact)
			if err != nil {
				return err
			}
			m := alertMessage{id: r.id, channel: r.channel, attempts: r.attempts + 1}
			if r.lang != "es" {
				r.lang = "en"
			}
			if r.channel == AlertSMS {
				m.sms = notify.SMS{To: contact, Body: a.sms[r.lang], Purpose: "response.alert", Sensitive: true}
			} else {
				leave, err := w.s.vault.DecryptString("response_subscribers", r.sub, "leave_token", r.leaveCT)
				if err != nil {
					return err
				}
				m.email = w.s.alertLetter(a, r.lang, w.s.link(LeavePath+leave)).email(contact)
			}
			batch = append(batch, m)
			sending = append(sending, r.id)
		}
		if err := setRecipients(ctx, tx, sending, "status = 'sending', attempts = attempts + 1, updated_at = ?", "queued", tx.Now); err != nil {
			return err
		}
		if err := setRecipients(ctx, tx, skipped, "status = 'skipped', updated_at = ?", "queued", tx.Now); err != nil {
			return err
		}
		if len(sending) == 0 {
			return nil
		}
		return record(ctx, tx, alertSystem, "response.alert.read_contacts", alertObject(a.id), fmt.Sprintf("count=%d", len(sending)))
	})
	if err != nil {
		return nil, 0, err
	}
	return batch, len(skipped), nil
}

// alertLetter is the e-mail of an alert in lang, ending with the subscriber's leave link.
func (s *Service) alertLetter(a *alertJob, lang, leave string) alertLetter {
	t := s.catalog.Localizer(lang)
	subject := "alerts.mail.alert.subject"
	if a.kind == AlertKindAllClear {
		subject = "alerts.mail.all_clear.subject"
	}
	return alertLetter{
		Lang:       t.Lang.Code,
		Subject:    t.T(subject, map[string]any{"Area": a.area}),
		Paragraphs: strings.FieldsFunc(a.text[lang], func(r rune) bool { return r == '\n' }),
		LeaveText:  t.T("alerts.mail.leave"),
		LeaveLink:  leave,
		Purpose:    "response.alert",
	}
}

// record writes a batch of outcomes in one transaction, each row only if it is still in
// 'sending' (a run that took over may have called it uncertain). It runs even while the
// node stops, so that messages that left are recorded as sent.
func (w *alertSender) record(ctx context.Context, outs []alertOutcome) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	type group struct {
		set  string
		lead []any
		ids  []int64
	}
	groups := map[string]*group{}
	add := func(key, set string, id int64, lead ...any) {
		g, ok := groups[key]
		if !ok {
			g = &group{set: set, lead: lead}
			groups[key] = g
		}
		g.ids = append(g.ids, id)
	}
	err := w.s.db.InTx(ctx, func(tx *db.Tx) error {
		clear(groups)
		for _, o := range outs {
			switch {
			case o.notAttempted:
				add("requeue", "status = 'queued', attempts = attempts - 1, updated_at = ?", o.id, tx.Now)
			case o.retry && o.attempts < alertMaxAttempts:
				next := tx.Now.Add(time.Duration(o.attempts*o.attempts) * 5 * time.Second)
				add(fmt.Sprintf("retry %d %s", o.attempts, o.code), "status = 'queued', next_at = ?, error = ?, updated_at = ?", o.id, next, o.code, tx.Now)
			case o.retry:
				add("failed "+o.code, "status = ?, error = ?, updated_at = ?", o.id, string(RecipientFailed), o.code, tx.Now)
			default:
				add(string(o.status)+" "+o.code, "status = ?, error = ?, updated_at = ?", o.id, string(o.status), o.code, tx.Now)
			}
		}
		for _, g := range groups {
			if err := setRecipients(ctx, tx, g.ids, g.set, string(RecipientSending), g.lead...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("response: record alert results: %w", err)
	}
	return nil
}

// setRecipients applies set (with its leading args) to the recipients ids that are in
// status from, in chunks.
func setRecipients(ctx context.Context, tx *db.Tx, ids []int64, set, from string, args ...any) error {
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		all := append([]any{}, args...)
		for _, id := range chunk {
			all = append(all, id)
		}
		all = append(all, from)
		if _, err := tx.ExecContext(ctx, "UPDATE response_alert_recipients SET "+set+" WHERE id IN ("+alertInList(len(chunk))+") AND status = ?", all...); err != nil {
			return fmt.Errorf("response: update recipients: %w", err)
		}
	}
	return nil
}

// release gives the lease up (all results recorded) so that the next run starts at once,
// queuing that run when cont is set.
func (w *alertSender) release(id int64, owner string, cont bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := w.s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE response_alerts SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?", id, owner)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 || !cont {
			return nil
		}
		return w.s.jobs.Enqueue(ctx, tx, AlertSendArgs{Alert: id}, nil)
	})
	if err != nil {
		w.s.log.Error("response: release alert lease", "alert", id, "err", err)
	}
}

// finish ends a run that found nothing left to claim: the alert is done when every
// recipient has a final status; recipients waiting for a retry get a run scheduled at
// their time.
func (w *alertSender) finish(ctx context.Context, a *alertJob, owner string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var done bool
	var counts map[RecipientStatus]int
	err := w.s.inTx(ctx, func(tx *db.Tx) error {
		done = false
		res, err := tx.ExecContext(ctx, "UPDATE response_alerts SET lease_until = ? WHERE id = ? AND lease_owner = ?", tx.Now.Add(alertLease), a.id, owner)
		if err != nil {
			return fmt.Errorf("response: renew alert lease: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		var open int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM response_alert_recipients WHERE alert_id = ? AND status IN ('queued', 'sending')", a.id).Scan(&open); err != nil {
			return fmt.Errorf("response: count open recipients: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE response_alerts SET lease_owner = NULL, lease_until = NULL WHERE id = ?", a.id); err != nil {
			return fmt.Errorf("response: release alert lease: %w", err)
		}
		if open > 0 {
			var next *time.Time
			if err := tx.QueryRowContext(ctx, `SELECT next_at FROM response_alert_recipients WHERE alert_id = ? AND status = 'queued'
				AND next_at IS NOT NULL AND next_at > ? ORDER BY next_at LIMIT 1`, a.id, tx.Now).Scan(&next); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("response: next retry: %w", err)
			}
			opts := &jobs.InsertOpts{}
			if next != nil {
				opts.ScheduledAt = *next
			}
			return w.s.jobs.Enqueue(ctx, tx, AlertSendArgs{Alert: a.id}, opts)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE response_alerts SET status = 'done', finished_at = ? WHERE id = ?", tx.Now, a.id); err != nil {
			return fmt.Errorf("response: finish alert: %w", err)
		}
		done = true
		al := Alert{ID: a.id, Counts: map[RecipientStatus]int{}}
		if err := alertCounts(ctx, tx, &al); err != nil {
			return err
		}
		counts = al.Counts
		if err := record(ctx, tx, alertSystem, "response.alert.done", alertObject(a.id), fmt.Sprintf("sent=%d failed=%d uncertain=%d skipped=%d",
			counts[RecipientSent], counts[RecipientFailed], counts[RecipientUncertain], counts[RecipientSkipped])); err != nil {
			return err
		}
		if a.reportID != 0 {
			return w.s.boardChanged(ctx, tx, a.reportID)
		}
		return nil
	})
	if err == nil && done {
		w.s.log.Info("response: alert sent", "alert", a.id, "sent", counts[RecipientSent], "failed", counts[RecipientFailed],
			"uncertain", counts[RecipientUncertain], "skipped", counts[RecipientSkipped])
	}
	return err
}
