package response

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// AlertStatus is where an alert's send stands.
type AlertStatus string

// The alert statuses.
const (
	AlertSending AlertStatus = "sending" // recipients are being handed to the providers
	AlertDone    AlertStatus = "done"    // every recipient has a final status
)

// RecipientStatus is what became of an alert for one subscriber.
type RecipientStatus string

// The recipient statuses. Uncertain means a worker stopped after handing the message over
// and before recording the answer: it may have arrived, so it is never sent again.
const (
	RecipientQueued    RecipientStatus = "queued"
	RecipientSending   RecipientStatus = "sending"
	RecipientSent      RecipientStatus = "sent"
	RecipientFailed    RecipientStatus = "failed"
	RecipientUncertain RecipientStatus = "uncertain"
	RecipientSkipped   RecipientStatus = "skipped" // the subscriber left before their turn
)

// RecipientStatuses lists the statuses in the order pages show them.
var RecipientStatuses = []RecipientStatus{RecipientQueued, RecipientSending, RecipientSent, RecipientFailed, RecipientUncertain, RecipientSkipped}

// Alert is an alert about a confirmed report, with what became of it per recipient.
type Alert struct {
	ID       int64
	ReportID int64
	// ParentID is the alert an all clear follows; 0 for an alert.
	ParentID   int64
	Kind       AlertKind
	TemplateID int64
	ZIPs       []string
	BodyEn     string
	BodyEs     string
	Status     AlertStatus
	Recipients int
	// Counts is how many recipients are in each status.
	Counts     map[RecipientStatus]int
	CreatedBy  string
	CreatedAt  time.Time
	FinishedAt *time.Time
	// AllClears are the all clears that followed this alert.
	AllClears []int64
}

// Count returns how many recipients are in status st, for templates.
func (a Alert) Count(st string) int { return a.Counts[RecipientStatus(st)] }

// Done is how many recipients have a final status.
func (a Alert) Done() int {
	return a.Recipients - a.Counts[RecipientQueued] - a.Counts[RecipientSending]
}

// alertColumns are the columns loadAlert and the lists read.
const alertColumns = "id, report_id, parent_id, kind, template_id, zips, body_en, body_es, status, recipients, created_by, created_at, finished_at"

func scanAlert(scan func(...any) error) (Alert, error) {
	var a Alert
	var report, parent, tmpl sql.NullInt64
	var zips string
	err := scan(&a.ID, &report, &parent, &a.Kind, &tmpl, &zips, &a.BodyEn, &a.BodyEs, &a.Status, &a.Recipients,
		&a.CreatedBy, &a.CreatedAt, &a.FinishedAt)
	a.ReportID, a.ParentID, a.TemplateID = report.Int64, parent.Int64, tmpl.Int64
	if zips != "" {
		a.ZIPs = strings.Split(zips, ",")
	}
	a.Counts = map[RecipientStatus]int{}
	return a, err
}

// loadAlert reads one alert with its counts.
func loadAlert(ctx context.Context, q db.Queryer, id int64) (Alert, error) {
	a, err := scanAlert(q.QueryRowContext(ctx, "SELECT "+alertColumns+" FROM response_alerts WHERE id = ?", id).Scan)
	if err != nil {
		return Alert{}, db.Translate(err, "alerts.alert.not_found", "")
	}
	if err := alertCounts(ctx, q, &a); err != nil {
		return Alert{}, err
	}
	rows, err := q.QueryContext(ctx, "SELECT id FROM response_alerts WHERE parent_id = ? ORDER BY id", id)
	if err != nil {
		return Alert{}, fmt.Errorf("response: alert follow-ups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c int64
		if err := rows.Scan(&c); err != nil {
			return Alert{}, err
		}
		a.AllClears = append(a.AllClears, c)
	}
	return a, rows.Err()
}

// alertCounts fills a's per-status counts.
func alertCounts(ctx context.Context, q db.Queryer, a *Alert) error {
	rows, err := q.QueryContext(ctx, "SELECT status, COUNT(*) FROM response_alert_recipients WHERE alert_id = ? GROUP BY status", a.ID)
	if err != nil {
		return fmt.Errorf("response: alert counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st RecipientStatus
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return err
		}
		a.Counts[st] = n
	}
	return rows.Err()
}

// Alert returns one alert with its per-recipient counts. It needs response.alert.
func (s *Service) Alert(ctx context.Context, actor auth.Actor, id int64) (Alert, error) {
	if err := actor.Require(auth.PermResponseAlert); err != nil {
		return Alert{}, err
	}
	a, err := loadAlert(ctx, s.db, id)
	return a, coded(err)
}

// AlertQuery selects alerts: those of one report, or all; newest first, Limit at most 200
// (default 50), older than Before (an alert id) for the next page.
type AlertQuery struct {
	ReportID int64
	Before   int64
	Limit    int
}

// Alerts lists alerts, newest first, with their counts. It needs response.alert.
func (s *Service) Alerts(ctx context.Context, actor auth.Actor, q AlertQuery) ([]Alert, error) {
	if err := actor.Require(auth.PermResponseAlert); err != nil {
		return nil, err
	}
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	where, args := []string{"1 = 1"}, []any{}
	if q.ReportID > 0 {
		where, args = append(where, "report_id = ?"), append(args, q.ReportID)
	}
	if q.Before > 0 {
		where, args = append(where, "id < ?"), append(args, q.Before)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+alertColumns+" FROM response_alerts WHERE "+strings.Join(where, " AND ")+
		" ORDER BY id DESC LIMIT ?", append(args, q.Limit)...)
	if err != nil {
		return nil, errs.Internalf("response: list alerts: %w", err)
	}
	var out []Alert
	for rows.Next() {
		a, err := scanAlert(rows.Scan)
		if err != nil {
			rows.Close()
			return nil, errs.Internalf("response: read alert: %w", err)
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, errs.Internalf("response: list alerts: %w", err)
	}
	for i := range out {
		if err := alertCounts(ctx, s.db, &out[i]); err != nil {
			return nil, errs.Internal(err)
		}
	}
	return out, nil
}

// alertObject is how audit entries name an alert.
func alertObject(id int64) string { return fmt.Sprintf("alert:%d", id) }

// ReportAlerts is the alerts section of a report's page: whether the report can be
// alerted now, and the alerts sent about it.
type ReportAlerts struct {
	ReportID  int64
	Confirmed bool
	Alerts    []Alert
}

// ReportAlerts returns a report's alerts, newest first, for its page. It needs
// response.alert.
func (s *Service) ReportAlerts(ctx context.Context, actor auth.Actor, reportID int64) (ReportAlerts, error) {
	list, err := s.Alerts(ctx, actor, AlertQuery{ReportID: reportID, Limit: 20})
	if err != nil {
		return ReportAlerts{}, err
	}
	r, err := loadReport(ctx, s.db, reportID)
	if err != nil {
		return ReportAlerts{}, coded(err)
	}
	return ReportAlerts{ReportID: reportID, Confirmed: r.State == StateConfirmed, Alerts: list}, nil
}
