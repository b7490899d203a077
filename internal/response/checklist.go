package response

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// maxItemLabel bounds a checklist item's label, in characters.
const maxItemLabel = 120

// ChecklistItem is one step of verification.
type ChecklistItem struct {
	ID int64
	// Code names a built-in item, whose label is the catalog's Key(); "" for an item a
	// dispatcher added, whose labels are LabelEn and LabelEs.
	Code     string
	LabelEn  string
	LabelEs  string
	Position int
	Active   bool
}

// Key is the message key of a built-in item's label ("" for an added item).
func (c ChecklistItem) Key() string {
	if c.Code == "" {
		return ""
	}
	return "response.checklist.item." + c.Code
}

// Label returns an added item's label in lang (English when the other is missing).
func (c ChecklistItem) Label(lang string) string {
	if lang == "es" && c.LabelEs != "" {
		return c.LabelEs
	}
	return c.LabelEn
}

// Check is a checklist item as it stands on one report.
type Check struct {
	Item      ChecklistItem
	Checked   bool
	CheckedBy string
	CheckedAt time.Time
}

// checklistItems reads the items, in their order; active only unless all.
func checklistItems(ctx context.Context, q db.Queryer, all bool) ([]ChecklistItem, error) {
	query := "SELECT id, code, label_en, label_es, position, active FROM response_checklist_items"
	if !all {
		query += " WHERE active = TRUE"
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY position, id")
	if err != nil {
		return nil, errs.Internalf("response: read checklist: %w", err)
	}
	defer rows.Close()
	var out []ChecklistItem
	for rows.Next() {
		var c ChecklistItem
		if err := rows.Scan(&c.ID, &c.Code, &c.LabelEn, &c.LabelEs, &c.Position, &c.Active); err != nil {
			return nil, errs.Internalf("response: read checklist: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Checklist lists every checklist item, retired ones included, for the settings page
// (response.dispatch).
func (s *Service) Checklist(ctx context.Context, actor auth.Actor) ([]ChecklistItem, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return nil, err
	}
	return checklistItems(ctx, s.db, true)
}

// ChecklistItemInput is a new or changed checklist item.
type ChecklistItemInput struct {
	LabelEn, LabelEs string
	Position         int
	Active           bool
}

// SaveChecklistItem adds an item (id 0) or changes one (response.dispatch). A built-in
// item keeps its translated label: only its order and whether it is used change.
func (s *Service) SaveChecklistItem(ctx context.Context, actor auth.Actor, id int64, in ChecklistItemInput) (ChecklistItem, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return ChecklistItem{}, err
	}
	var l errs.List
	var ok bool
	if in.LabelEn, ok = intakeLine(in.LabelEn, maxItemLabel); !ok {
		l.Add("label_en", "response.error.checklist_label")
	}
	if in.LabelEs, ok = intakeLine(in.LabelEs, maxItemLabel); !ok {
		l.Add("label_es", "response.error.checklist_label")
	}
	if in.Position < 0 || in.Position > 1000 {
		l.Add("position", "response.error.checklist_position")
	}
	var out ChecklistItem
	err := s.inTx(ctx, func(tx *db.Tx) error {
		var cur ChecklistItem
		if id != 0 {
			err := tx.QueryRowContext(ctx, "SELECT id, code FROM response_checklist_items WHERE id = ?", id).Scan(&cur.ID, &cur.Code)
			if err != nil {
				return db.Translate(err, "response.checklist.not_found", "")
			}
		}
		if cur.Code == "" && (in.LabelEn == "" || in.LabelEs == "") {
			if in.LabelEn == "" {
				l.Add("label_en", "response.error.checklist_label_required")
			}
			if in.LabelEs == "" {
				l.Add("label_es", "response.error.checklist_label_required")
			}
		}
		if err := l.Err(); err != nil {
			return err
		}
		if cur.Code != "" {
			in.LabelEn, in.LabelEs = "", ""
		}
		if id == 0 {
			nid, err := tx.Insert(ctx, "INSERT INTO response_checklist_items (label_en, label_es, position, active) VALUES (?, ?, ?, ?)",
				in.LabelEn, in.LabelEs, in.Position, in.Active)
			if err != nil {
				return fmt.Errorf("response: add checklist item: %w", err)
			}
			id = nid
		} else if _, err := tx.ExecContext(ctx, "UPDATE response_checklist_items SET label_en = ?, label_es = ?, position = ?, active = ? WHERE id = ?",
			in.LabelEn, in.LabelEs, in.Position, in.Active, id); err != nil {
			return fmt.Errorf("response: change checklist item: %w", err)
		}
		out = ChecklistItem{ID: id, Code: cur.Code, LabelEn: in.LabelEn, LabelEs: in.LabelEs, Position: in.Position, Active: in.Active}
		return record(ctx, tx, actor, "response.checklist.save", "checklist_item:"+strconv.FormatInt(id, 10), "active="+strconv.FormatBool(in.Active))
	})
	return out, err
}

// loadChecks returns the checklist of report id: every active item, and retired items
// that were ticked on it.
func loadChecks(ctx context.Context, q db.Queryer, reportID int64) ([]Check, error) {
	items, err := checklistItems(ctx, q, true)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT item_id, checked_by, checked_at FROM response_checks WHERE report_id = ?", reportID)
	if err != nil {
		return nil, fmt.Errorf("response: read checks: %w", err)
	}
	defer rows.Close()
	ticked := map[int64]Check{}
	for rows.Next() {
		var id int64
		var c Check
		if err := rows.Scan(&id, &c.CheckedBy, &c.CheckedAt); err != nil {
			return nil, fmt.Errorf("response: read checks: %w", err)
		}
		c.Checked = true
		ticked[id] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Check
	for _, it := range items {
		c, done := ticked[it.ID]
		if !it.Active && !done {
			continue
		}
		c.Item = it
		out = append(out, c)
	}
	return out, nil
}

// SetChecks sets report id's checklist to the items in checked, ticking and unticking
// what differs (response.dispatch). Each change names who and when, in the report's
// history and the audit log; an unknown or retired item is refused.
func (s *Service) SetChecks(ctx context.Context, actor auth.Actor, id int64, checked []int64) error {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return err
	}
	want := map[int64]bool{}
	for _, item := range checked {
		want[item] = true
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		r, err := loadReport(ctx, tx, id)
		if err != nil {
			return err
		}
		if !r.State.Open() {
			return errs.Invalid("item", "response.error.closed")
		}
		checks, err := loadChecks(ctx, tx, id)
		if err != nil {
			return err
		}
		changed := false
		for _, c := range checks {
			on := want[c.Item.ID]
			delete(want, c.Item.ID)
			if on == c.Checked {
				continue
			}
			if on && !c.Item.Active {
				return errs.Invalid("item", "response.checklist.not_found")
			}
			if err := setCheck(ctx, tx, actor, id, c.Item.ID, on); err != nil {
				return err
			}
			changed = true
		}
		if len(want) > 0 {
			return errs.Invalid("item", "response.checklist.not_found")
		}
		if !changed {
			return nil
		}
		return s.boardChanged(ctx, tx, id)
	})
}

// setCheck ticks or unticks one item on report id and records it.
func setCheck(ctx context.Context, tx *db.Tx, actor auth.Actor, id, item int64, checked bool) error {
	action := historyUnchecked
	var err error
	if checked {
		action = historyChecked
		_, err = tx.ExecContext(ctx, "INSERT INTO response_checks (report_id, item_id, checked_by, checked_at) VALUES (?, ?, ?, ?)",
			id, item, actor.Name, tx.Now)
	} else {
		_, err = tx.ExecContext(ctx, "DELETE FROM response_checks WHERE report_id = ? AND item_id = ?", id, item)
	}
	if err != nil {
		return fmt.Errorf("response: check: %w", err)
	}
	if err := addHistory(ctx, tx, id, actor, action, "", "", refDetail(item)); err != nil {
		return err
	}
	return record(ctx, tx, actor, "response.report."+action, reportObject(id), refDetail(item))
}
