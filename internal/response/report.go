package response

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
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

// Kinds lists the kinds in the order forms offer them.
func Kinds() []Kind {
	return []Kind{KindHome, KindWorkplace, KindCheckpoint, KindArrest, KindVehicles, KindOther}
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds(), k) }

// Key is the message key of the kind's name.
func (k Kind) Key() string { return "response.kind_" + string(k) }

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

// States lists every state in the order of the loop.
func States() []State {
	return []State{StateNew, StateVerifying, StateConfirmed, StateUnconfirmed, StateFalseAlarm, StateClosed}
}

// Valid reports whether s is one of States.
func (s State) Valid() bool { return slices.Contains(States(), s) }

// Key is the message key of the state's name.
func (s State) Key() string { return "response.state." + string(s) }

// Open reports whether a report in state s is still on the board.
func (s State) Open() bool { return s != StateClosed }

// transitions are the state changes a dispatcher may make. A verdict (confirmed,
// unconfirmed, false alarm) may be corrected as news arrives; closed is final.
var transitions = map[State][]State{
	StateNew:         {StateVerifying},
	StateVerifying:   {StateConfirmed, StateUnconfirmed, StateFalseAlarm},
	StateConfirmed:   {StateUnconfirmed, StateFalseAlarm, StateClosed},
	StateUnconfirmed: {StateVerifying, StateConfirmed, StateFalseAlarm, StateClosed},
	StateFalseAlarm:  {StateVerifying, StateConfirmed, StateClosed},
}

// Next lists the states a report in s may move to.
func (s State) Next() []State { return slices.Clone(transitions[s]) }

// CanMove reports whether a report may go from s to to.
func (s State) CanMove(to State) bool { return slices.Contains(transitions[s], to) }

// The sources a report comes from.
const (
	SourceWeb     = "web"
	SourceSMS     = "sms"
	SourceHotline = "hotline"
	SourceAPI     = "api"
)

// SourceKey is the message key of a source's name.
func SourceKey(source string) string { return "response.source." + source }

// How a report came to point at another (Report.MergeKind).
const (
	MergeFlood     = "flood"     // flood detection grouped it with similar reports
	MergeDuplicate = "duplicate" // a dispatcher merged it as a duplicate
)

// Outcome is what happened, recorded when a report closes.
type Outcome string

// The outcomes a dispatcher chooses from when closing a report.
const (
	OutcomeDetained   Outcome = "detained"    // people were detained
	OutcomeNoArrests  Outcome = "no_arrests"  // agents were there and left without detaining anyone
	OutcomeNotFound   Outcome = "not_found"   // no enforcement was found on arrival
	OutcomeFalseAlarm Outcome = "false_alarm" // the report was not true
	OutcomeOther      Outcome = "other"
)

// Outcomes lists the outcomes in the order the closing form offers them.
func Outcomes() []Outcome {
	return []Outcome{OutcomeDetained, OutcomeNoArrests, OutcomeNotFound, OutcomeFalseAlarm, OutcomeOther}
}

// Valid reports whether o is one of Outcomes.
func (o Outcome) Valid() bool { return slices.Contains(Outcomes(), o) }

// Key is the message key of the outcome's name.
func (o Outcome) Key() string { return "response.outcome_" + string(o) }

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
	// MergeKind says how the report came to point at MergedInto (MergeFlood or
	// MergeDuplicate); "" when it stands on its own.
	MergeKind string
	// Grouped is how many other reports were grouped or merged into this one.
	Grouped int
	// Verdict is the state the report had when it closed ("" while open).
	Verdict State
	// HasPhone says a callback phone is on file (without reading it).
	HasPhone bool
}

// OnBoard reports whether the report shows on the board: open and not merged away.
func (r Report) OnBoard() bool { return r.State.Open() && r.MergedInto == 0 }

// reportColumns are the clear columns loadReport and the lists read, in scanReport's order.
const reportColumns = `id, kind, state, source, zip, language, observed_at, agents, vehicles,
	merged_into, outcome, created_at, updated_at, closed_at, merge_kind, grouped, verdict, phone_index IS NOT NULL`

// scanReport reads one row of reportColumns.
func scanReport(scan func(...any) error) (Report, error) {
	var r Report
	var merged sql.NullInt64
	var closed sql.NullTime
	if err := scan(&r.ID, &r.Kind, &r.State, &r.Source, &r.ZIP, &r.Language, &r.ObservedAt, &r.Agents, &r.Vehicles,
		&merged, &r.Outcome, &r.CreatedAt, &r.UpdatedAt, &closed, &r.MergeKind, &r.Grouped, &r.Verdict, &r.HasPhone); err != nil {
		return Report{}, err
	}
	r.MergedInto = merged.Int64
	if closed.Valid {
		t := closed.Time
		r.ClosedAt = &t
	}
	return r, nil
}

// loadReport reads report id's clear fields.
func loadReport(ctx context.Context, q db.Queryer, id int64) (Report, error) {
	r, err := scanReport(q.QueryRowContext(ctx, `SELECT `+reportColumns+` FROM response_reports WHERE id = ?`, id).Scan)
	if err != nil {
		return Report{}, db.Translate(err, "response.report.not_found", "")
	}
	return r, nil
}

// reportObject is how audit entries name a report.
func reportObject(id int64) string { return "report:" + strconv.FormatInt(id, 10) }
