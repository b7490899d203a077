package response

import (
	"context"
	"time"

	"solidarity/internal/db"
)

// Kind is what a report says is happening.
type Kind string

// The kinds of report.
const (
	KindHome       Kind = "home"
	KindWorkplace  Kind = "workplace"
	KindCheckpoint Kind = "checkpoint"
	KindArrest     Kind = "arrest"
	KindVehicles   Kind = "vehicles"
	KindOther      Kind = "other"
)

// State is where a report is in verification.
type State string

// The states: new → verifying → confirmed | unconfirmed | false_alarm → closed.
const (
	StateNew         State = "new"
	StateVerifying   State = "verifying"
	StateConfirmed   State = "confirmed"
	StateUnconfirmed State = "unconfirmed"
	StateFalseAlarm  State = "false_alarm"
	StateClosed      State = "closed"
)

// Report is a report as the service holds it, without its encrypted fields (which are
// read one by one, audited).
type Report struct {
	ID         int64
	Kind       Kind
	State      State
	Source     string
	ZIP        string
	Language   string
	ObservedAt time.Time
	Agents     int
	Vehicles   int
	MergedInto int64
	Outcome    string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ClosedAt   *time.Time
}

// loadReport reads report id's clear fields.
func loadReport(ctx context.Context, q db.Queryer, id int64) (Report, error) {
	var r Report
	var merged *int64
	err := q.QueryRowContext(ctx, `SELECT id, kind, state, source, zip, language, observed_at, agents, vehicles,
		merged_into, outcome, created_at, updated_at, closed_at FROM response_reports WHERE id = ?`, id).Scan(
		&r.ID, &r.Kind, &r.State, &r.Source, &r.ZIP, &r.Language, &r.ObservedAt, &r.Agents, &r.Vehicles,
		&merged, &r.Outcome, &r.CreatedAt, &r.UpdatedAt, &r.ClosedAt)
	if err != nil {
		return Report{}, db.Translate(err, "response.report.not_found", "")
	}
	if merged != nil {
		r.MergedInto = *merged
	}
	return r, nil
}
