package response

import (
	"context"
	"fmt"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// AlertRequest is what a dispatcher composes. An alert names a confirmed report and the
// ZIP codes to alert; an all clear names the alert it follows (ParentID) and goes to that
// alert's recipients, about the same report. Bodies come from the template when both are
// left empty.
type AlertRequest struct {
	ReportID   int64
	ParentID   int64
	ZIPs       []string
	TemplateID int64
	BodyEn     string
	BodyEs     string
}

// AlertPreview is what an alert will be: its texts as subscribers will read them and how
// many will receive it, by channel and language.
type AlertPreview struct {
	Report     Report
	Kind       AlertKind
	ParentID   int64
	ZIPs       []string
	TemplateID int64
	// BodyEn and BodyEs are the texts as typed (placeholders kept), TextEn and TextEs as
	// subscribers will read them.
	BodyEn, BodyEs string
	TextEn, TextEs string
	Recipients     int
	// Audience counts recipients by "sms.en", "email.es"…
	Audience map[string]int
}

// PreviewAlert checks an alert as CreateAlert would (a confirmed report, valid ZIP codes,
// texts in both languages with no address in them) and says how many would receive it,
// without sending anything. It needs response.alert; the report's address is decrypted for
// the check, which is audited.
func (s *Service) PreviewAlert(ctx context.Context, actor auth.Actor, req AlertRequest) (AlertPreview, error) {
	p, err := s.prepareAlert(ctx, s.db, actor, req)
	if err != nil {
		return AlertPreview{}, coded(err)
	}
	if err := s.checkAlertAddress(ctx, actor, p); err != nil {
		return AlertPreview{}, err
	}
	return p, nil
}

// CreateAlert sends an alert: it checks it as PreviewAlert does, then records it with one
// row per recipient (queued) and queues the job that sends it, in one transaction. Only a
// confirmed report can be alerted (errs.Invalid "alerts.report.not_confirmed"); an all
// clear follows an alert and goes to the same recipients.
func (s *Service) CreateAlert(ctx context.Context, actor auth.Actor, req AlertRequest) (Alert, error) {
	checked, err := s.PreviewAlert(ctx, actor, req)
	if err != nil {
		return Alert{}, err
	}
	var id int64
	err = s.inTx(ctx, func(tx *db.Tx) error {
		// Checked again inside the transaction: the report may have changed since.
		p, err := s.prepareAlert(ctx, tx, actor, req)
		if err != nil {
			return err
		}
		if p.TextEn != checked.TextEn || p.TextEs != checked.TextEs {
			return errs.Conflict("alerts.alert.changed")
		}
		var tmpl any
		if p.TemplateID > 0 {
			tmpl = p.TemplateID
		}
		var parent any
		if p.ParentID > 0 {
			parent = p.ParentID
		}
		id, err = tx.Insert(ctx, `INSERT INTO response_alerts (report_id, parent_id, kind, template_id, zips, body_en, body_es,
			status, recipients, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'sending', 0, ?, ?)`,
			p.Report.ID, parent, string(p.Kind), tmpl, strings.Join(p.ZIPs, ","), p.TextEn, p.TextEs, actor.Name, tx.Now)
		if err != nil {
			return fmt.Errorf("response: insert alert: %w", err)
		}
		n, err := insertRecipients(ctx, tx, id, p)
		if err != nil {
			return err
		}
		if n == 0 {
			return errs.Invalid("zips", "alerts.alert.no_recipients")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE response_alerts SET recipients = ? WHERE id = ?", n, id); err != nil {
			return fmt.Errorf("response: count recipients: %w", err)
		}
		if err := s.jobs.Enqueue(ctx, tx, AlertSendArgs{Alert: id}, nil); err != nil {
			return err
		}
		detail := fmt.Sprintf("report=%d kind=%s zips=%d recipients=%d", p.Report.ID, p.Kind, len(p.ZIPs), n)
		if err := record(ctx, tx, actor, "response.alert.create", alertObject(id), detail); err != nil {
			return err
		}
		return s.boardChanged(ctx, tx, p.Report.ID)
	})
	if err != nil {
		return Alert{}, err
	}
	a, err := loadAlert(ctx, s.db, id)
	return a, coded(err)
}

// checkAlertAddress refuses texts that name the report's address. The address is
// decrypted in a transaction of its own, so that the audit entry of the read stays even
// when the alert is refused.
func (s *Service) checkAlertAddress(ctx context.Context, actor auth.Actor, p AlertPreview) error {
	var address string
	err := s.inTx(ctx, func(tx *db.Tx) error {
		var err error
		address, err = s.reportAddressForCheck(ctx, tx, actor, p.Report.ID)
		return err
	})
	if err != nil || address == "" {
		return err
	}
	var l errs.List
	if alertMentionsAddress(p.TextEn, address) {
		l.Add("body_en", "alerts.body.report_address")
	}
	if alertMentionsAddress(p.TextEs, address) {
		l.Add("body_es", "alerts.body.report_address")
	}
	return l.Err()
}

// insertRecipients snapshots who receives the alert, in one statement: the active
// subscribers of its ZIP codes, or, for an all clear, the recipients of the alert it
// follows who are still subscribed (whatever became of that alert for them).
func insertRecipients(ctx context.Context, tx *db.Tx, id int64, p AlertPreview) (int, error) {
	var q string
	args := []any{id}
	if p.ParentID > 0 {
		q = `INSERT INTO response_alert_recipients (alert_id, subscriber_id, channel, language)
			SELECT a.id, s.id, s.channel, s.language FROM response_alerts a, response_subscribers s
			WHERE a.id = ? AND s.status = 'active' AND s.id IN (
				SELECT subscriber_id FROM response_alert_recipients WHERE alert_id = ? AND status <> 'skipped')`
		args = append(args, p.ParentID)
	} else {
		q = `INSERT INTO response_alert_recipients (alert_id, subscriber_id, channel, language)
			SELECT a.id, s.id, s.channel, s.language FROM response_alerts a, response_subscribers s
			WHERE a.id = ? AND s.status = 'active' AND s.id IN (
				SELECT subscriber_id FROM response_subscriber_zips WHERE zip IN (` + alertInList(len(p.ZIPs)) + `))`
		for _, z := range p.ZIPs {
			args = append(args, z)
		}
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("response: queue recipients: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// prepareAlert checks a request, renders its texts and counts its audience, reading
// through q; the address check is apart (checkAlertAddress).
func (s *Service) prepareAlert(ctx context.Context, tx db.Queryer, actor auth.Actor, req AlertRequest) (AlertPreview, error) {
	if err := actor.Require(auth.PermResponseAlert); err != nil {
		return AlertPreview{}, err
	}
	p := AlertPreview{Kind: AlertKindAlert, TemplateID: req.TemplateID, Audience: map[string]int{}}
	var l errs.List
	if req.ParentID > 0 {
		parent, err := loadAlert(ctx, tx, req.ParentID)
		if err != nil {
			return AlertPreview{}, err
		}
		if parent.Kind != AlertKindAlert || parent.ReportID == 0 {
			return AlertPreview{}, errs.Invalid("parent", "alerts.alert.parent_invalid")
		}
		p.Kind, p.ParentID, p.ZIPs, req.ReportID = AlertKindAllClear, parent.ID, parent.ZIPs, parent.ReportID
	}
	r, err := loadReport(ctx, tx, req.ReportID)
	if err != nil {
		return AlertPreview{}, err
	}
	p.Report = r
	if p.Kind == AlertKindAlert {
		if r.State != StateConfirmed {
			return AlertPreview{}, errs.Invalid("report", "alerts.report.not_confirmed")
		}
		zips, err := ParseAlertZIPs(req.ZIPs, "zips")
		if err != nil {
			l = append(l, errs.Fields(err)...)
		}
		p.ZIPs = zips
	}
	if req.TemplateID > 0 && strings.TrimSpace(req.BodyEn) == "" && strings.TrimSpace(req.BodyEs) == "" {
		t, err := loadAlertTemplate(ctx, tx, req.TemplateID)
		switch {
		case errs.CodeOf(err) == errs.CodeNotFound:
			l.Add("template", "alerts.template.not_found")
		case err != nil:
			return AlertPreview{}, err
		case t.Kind != p.Kind:
			l.Add("template", "alerts.template.kind_mismatch")
		default:
			req.BodyEn, req.BodyEs = t.BodyEn, t.BodyEs
		}
	}
	var problem string
	if p.BodyEn, problem = cleanAlertBody(req.BodyEn); problem != "" {
		l.Add("body_en", problem)
	}
	if p.BodyEs, problem = cleanAlertBody(req.BodyEs); problem != "" {
		l.Add("body_es", problem)
	}
	if err := l.Err(); err != nil {
		return AlertPreview{}, err
	}
	p.TextEn = renderAlertBody(p.BodyEn, s.placeholderValues("en", r, p.ZIPs))
	p.TextEs = renderAlertBody(p.BodyEs, s.placeholderValues("es", r, p.ZIPs))
	if err := s.countAudience(ctx, tx, &p); err != nil {
		return AlertPreview{}, err
	}
	return p, nil
}

// placeholderValues are the placeholders' values for a report in lang.
func (s *Service) placeholderValues(lang string, r Report, zips []string) alertValues {
	t := s.catalog.Localizer(lang)
	return alertValues{
		Area: strings.Join(zips, ", "),
		Time: r.ObservedAt.UTC().Format("15:04") + " UTC",
		Kind: t.T("alerts.report_kind_" + string(r.Kind)),
	}
}

// countAudience counts who would receive p, by channel and language.
func (s *Service) countAudience(ctx context.Context, tx db.Queryer, p *AlertPreview) error {
	var q string
	var args []any
	if p.ParentID > 0 {
		q = `SELECT channel, language, COUNT(*) FROM response_subscribers WHERE status = 'active' AND id IN (
			SELECT subscriber_id FROM response_alert_recipients WHERE alert_id = ? AND status <> 'skipped') GROUP BY channel, language`
		args = []any{p.ParentID}
	} else {
		q = `SELECT channel, language, COUNT(*) FROM response_subscribers WHERE status = 'active' AND id IN (
			SELECT subscriber_id FROM response_subscriber_zips WHERE zip IN (` + alertInList(len(p.ZIPs)) + `)) GROUP BY channel, language`
		for _, z := range p.ZIPs {
			args = append(args, z)
		}
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("response: count audience: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ch, lang string
		var n int
		if err := rows.Scan(&ch, &lang, &n); err != nil {
			return err
		}
		p.Audience[ch+"."+lang] = n
		p.Recipients += n
	}
	return rows.Err()
}

// alertInList returns n comma-separated question marks, for an IN list.
func alertInList(n int) string {
	if n <= 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
