package response

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// TaskKind is the follow-up work a task is.
type TaskKind string

// The kinds of follow-up.
const (
	TaskFamilySupport TaskKind = "family_support"
	TaskLegalReferral TaskKind = "legal_referral"
	TaskDocumentation TaskKind = "documentation"
)

// TaskKinds lists the kinds in the order forms offer them.
func TaskKinds() []TaskKind {
	return []TaskKind{TaskFamilySupport, TaskLegalReferral, TaskDocumentation}
}

// Valid reports whether k is one of TaskKinds.
func (k TaskKind) Valid() bool { return slices.Contains(TaskKinds(), k) }

// Key is the message key of the kind's name.
func (k TaskKind) Key() string { return "response.task.kind." + string(k) }

// MaxTaskDue is how far ahead a task may be due.
const MaxTaskDue = 90 * 24 * time.Hour

// Task is one follow-up of a report.
type Task struct {
	ID        int64
	ReportID  int64
	Kind      TaskKind
	OwnerID   int64
	OwnerName string
	DueAt     time.Time
	DoneAt    *time.Time
	DoneBy    string
	CreatedAt time.Time
}

// Done reports whether the task is done.
func (t Task) Done() bool { return t.DoneAt != nil }

// Overdue reports whether the task is open past its due time at now.
func (t Task) Overdue(now time.Time) bool { return t.DoneAt == nil && now.After(t.DueAt) }

// TaskInput is a new task: its kind, its owner (a staff account) and how long from now it
// is due.
type TaskInput struct {
	Kind    TaskKind
	OwnerID int64
	DueIn   time.Duration
}

// Staff is an account that may own a task: active, with a rapid response role.
type Staff struct {
	ID   int64
	Name string
}

// staffMay reports whether a role may own follow-up work.
func staffMay(role auth.Role) bool {
	return role.Can(auth.PermResponseDispatch) || role.Can(auth.PermResponseIntake)
}

// TaskOwners lists the accounts that may own a task (response.dispatch), by name.
func (s *Service) TaskOwners(ctx context.Context, actor auth.Actor) ([]Staff, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id, name, role FROM accounts WHERE disabled = FALSE ORDER BY name, id")
	if err != nil {
		return nil, errs.Internalf("response: list staff: %w", err)
	}
	defer rows.Close()
	var out []Staff
	for rows.Next() {
		var st Staff
		var role auth.Role
		if err := rows.Scan(&st.ID, &st.Name, &role); err != nil {
			return nil, errs.Internalf("response: list staff: %w", err)
		}
		if staffMay(role) {
			out = append(out, st)
		}
	}
	return out, rows.Err()
}

// AddTask adds a follow-up task to report id (response.dispatch).
func (s *Service) AddTask(ctx context.Context, actor auth.Actor, id int64, in TaskInput) (Task, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return Task{}, err
	}
	var l errs.List
	if !in.Kind.Valid() {
		l.Add("kind", "response.error.task_kind")
	}
	if in.DueIn <= 0 || in.DueIn > MaxTaskDue {
		l.Add("due", "response.error.task_due")
	}
	var out Task
	err := s.inTx(ctx, func(tx *db.Tx) error {
		if _, err := loadReport(ctx, tx, id); err != nil {
			return err
		}
		var role auth.Role
		var disabled bool
		err := tx.QueryRowContext(ctx, "SELECT role, disabled FROM accounts WHERE id = ?", in.OwnerID).Scan(&role, &disabled)
		if err != nil && err != sql.ErrNoRows {
			return fmt.Errorf("response: task owner: %w", err)
		}
		if err == sql.ErrNoRows || disabled || !staffMay(role) {
			l.Add("owner", "response.error.task_owner")
		}
		if err := l.Err(); err != nil {
			return err
		}
		due := tx.Now.Add(in.DueIn)
		tid, err := tx.Insert(ctx, "INSERT INTO response_tasks (report_id, kind, owner_id, due_at, created_at) VALUES (?, ?, ?, ?, ?)",
			id, string(in.Kind), in.OwnerID, due, tx.Now)
		if err != nil {
			return fmt.Errorf("response: add task: %w", err)
		}
		if err := addHistory(ctx, tx, id, actor, historyTask, "", "", "ref="+strconv.FormatInt(tid, 10)+" task="+string(in.Kind)); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "response.task.create", taskObject(tid), "report="+strconv.FormatInt(id, 10)+" kind="+string(in.Kind)); err != nil {
			return err
		}
		if err := s.boardChanged(ctx, tx, id); err != nil {
			return err
		}
		tasks, err := loadTasks(ctx, tx, id)
		for _, t := range tasks {
			if t.ID == tid {
				out = t
			}
		}
		return err
	})
	return out, err
}

// SetTaskDone marks task id done (or open again) and returns its report's id
// (response.dispatch).
func (s *Service) SetTaskDone(ctx context.Context, actor auth.Actor, id int64, done bool) (int64, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return 0, err
	}
	var report int64
	err := s.inTx(ctx, func(tx *db.Tx) error {
		var doneAt sql.NullTime
		var kind TaskKind
		if err := tx.QueryRowContext(ctx, "SELECT report_id, kind, done_at FROM response_tasks WHERE id = ?", id).Scan(&report, &kind, &doneAt); err != nil {
			return db.Translate(err, "response.task.not_found", "")
		}
		if doneAt.Valid == done {
			return nil
		}
		var at any
		action, by := historyTaskOpen, ""
		if done {
			at, action, by = tx.Now, historyTaskDone, actor.Name
		}
		if _, err := tx.ExecContext(ctx, "UPDATE response_tasks SET done_at = ?, done_by = ? WHERE id = ?", at, by, id); err != nil {
			return fmt.Errorf("response: task done: %w", err)
		}
		if err := addHistory(ctx, tx, report, actor, action, "", "", "ref="+strconv.FormatInt(id, 10)+" task="+string(kind)); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "response."+action, taskObject(id), "done="+strconv.FormatBool(done)); err != nil {
			return err
		}
		return s.boardChanged(ctx, tx, report)
	})
	return report, err
}

// loadTasks reads report id's tasks, open ones first by due time.
func loadTasks(ctx context.Context, q db.Queryer, id int64) ([]Task, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.id, t.report_id, t.kind, COALESCE(t.owner_id, 0), COALESCE(a.name, ''), t.due_at, t.done_at, t.done_by, t.created_at
		FROM response_tasks t LEFT JOIN accounts a ON a.id = t.owner_id WHERE t.report_id = ?
		ORDER BY CASE WHEN t.done_at IS NULL THEN 0 ELSE 1 END, t.due_at, t.id`, id)
	if err != nil {
		return nil, fmt.Errorf("response: read tasks: %w", err)
	}
	defer rows.Close()
	var out []Task
	for rows.Next() {
		var t Task
		var done sql.NullTime
		if err := rows.Scan(&t.ID, &t.ReportID, &t.Kind, &t.OwnerID, &t.OwnerName, &t.DueAt, &done, &t.DoneBy, &t.CreatedAt); err != nil {
			return nil, fmt.Errorf("response: read tasks: %w", err)
		}
		if done.Valid {
			d := done.Time
			t.DoneAt = &d
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// taskObject is how audit entries name a task.
func taskObject(id int64) string { return "response_task:" + strconv.FormatInt(id, 10) }
