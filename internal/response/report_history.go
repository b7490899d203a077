package response

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
)

// The actions a report's history records.
const (
	historyFiled       = "filed"
	historyState       = "state"
	historyGrouped     = "grouped"      // another report was grouped into this one
	historyGroupedInto = "grouped_into" // this report was grouped into another
	historyMerged      = "merged"       // a duplicate was merged into this one
	historyMergedInto  = "merged_into"  // this report was merged into another
	historyChecked     = "checked"
	historyUnchecked   = "unchecked"
	historySMSIn       = "sms_in"
	historyReply       = "reply"
	historyTask        = "task"
	historyTaskDone    = "task_done"
	historyTaskOpen    = "task_reopened"
)

// HistoryEntry is one thing that happened to a report: what, who and when. It never holds
// sensitive text.
type HistoryEntry struct {
	At time.Time
	// Actor is the audit label ("account:3", "public", "system:sms"); ActorName the
	// person's name at the time, "" for the public and the system.
	Actor     string
	ActorName string
	Action    string
	From, To  State
	// Ref is the report, checklist item or task the entry names, when it names one.
	Ref int64
	// Outcome is the outcome chosen when the entry closed the report.
	Outcome Outcome
	// Source is where a filed report came from.
	Source string
	// Task is the kind of task an entry about a task names.
	Task TaskKind
	// Item is the checklist item a check names (filled by Detail).
	Item ChecklistItem
}

// Key is the message key of the entry's sentence.
func (h HistoryEntry) Key() string { return "response.history." + h.Action }

// ByPublic reports whether nobody signed in did it (the public page, an SMS).
func (h HistoryEntry) ByPublic() bool { return h.Actor == "public" }

// BySystem reports whether the system did it (an SMS conversation, a job).
func (h HistoryEntry) BySystem() bool { return strings.HasPrefix(h.Actor, "system") }

// refDetail writes the detail of an entry naming another record.
func refDetail(id int64) string { return "ref=" + strconv.FormatInt(id, 10) }

// addHistory appends an entry to report id's history.
func addHistory(ctx context.Context, tx *db.Tx, id int64, actor auth.Actor, action string, from, to State, detail string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO response_report_history (report_id, at, actor, actor_name, action, from_state, to_state, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, tx.Now, actor.Label(), actor.Name, action, string(from), string(to), detail); err != nil {
		return fmt.Errorf("response: report history: %w", err)
	}
	return nil
}

// loadHistory reads report id's history, oldest first.
func loadHistory(ctx context.Context, q db.Queryer, id int64) ([]HistoryEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT at, actor, actor_name, action, from_state, to_state, detail
		FROM response_report_history WHERE report_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("response: read history: %w", err)
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		var h HistoryEntry
		var detail string
		if err := rows.Scan(&h.At, &h.Actor, &h.ActorName, &h.Action, &h.From, &h.To, &detail); err != nil {
			return nil, fmt.Errorf("response: read history: %w", err)
		}
		for _, part := range strings.Fields(detail) {
			k, v, _ := strings.Cut(part, "=")
			switch k {
			case "ref":
				h.Ref, _ = strconv.ParseInt(v, 10, 64)
			case "outcome":
				h.Outcome = Outcome(v)
			case "source":
				h.Source = v
			case "task":
				h.Task = TaskKind(v)
			}
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
