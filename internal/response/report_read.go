package response

import (
	"context"
	"fmt"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/db"
)

// ReportDetail is everything a dispatcher sees of one report, sensitive fields decrypted.
type ReportDetail struct {
	Report
	// Sealed says the vault is sealed on this node, so the sensitive fields (and the
	// thread) could not be read; the rest is there.
	Sealed      bool
	Address     string
	Description string
	Attire      string
	Phone       string
	History     []HistoryEntry
	Thread      []Message
	Checks      []Check
	Tasks       []Task
	// Members are the reports grouped or merged into this one, oldest first.
	Members []Report
}

// Detail reads report id with its sensitive fields decrypted, its history, thread,
// checklist, tasks and grouped reports (response.dispatch). The read of the sensitive
// fields is written to the audit log (which fields, never their values).
func (s *Service) Detail(ctx context.Context, actor auth.Actor, id int64) (ReportDetail, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return ReportDetail{}, err
	}
	var d ReportDetail
	err := s.inTx(ctx, func(tx *db.Tx) error {
		r, err := loadReport(ctx, tx, id)
		if err != nil {
			return err
		}
		d = ReportDetail{Report: r}
		if d.History, err = loadHistory(ctx, tx, id); err != nil {
			return err
		}
		if d.Checks, err = loadChecks(ctx, tx, id); err != nil {
			return err
		}
		items, err := checklistItems(ctx, tx, true)
		if err != nil {
			return err
		}
		for i, h := range d.History {
			if h.Action != historyChecked && h.Action != historyUnchecked {
				continue
			}
			for _, it := range items {
				if it.ID == h.Ref {
					d.History[i].Item = it
				}
			}
		}
		if d.Tasks, err = loadTasks(ctx, tx, id); err != nil {
			return err
		}
		if d.Members, err = queryReports(ctx, tx, `SELECT `+reportColumns+` FROM response_reports WHERE merged_into = ? ORDER BY id`, id); err != nil {
			return err
		}
		if s.vault.Sealed() {
			d.Sealed = true
			return nil
		}
		read, err := s.openReport(ctx, tx, &d)
		if err != nil {
			return err
		}
		if d.Thread, err = s.loadThread(ctx, tx, id); err != nil {
			return err
		}
		if len(d.Thread) > 0 {
			read = append(read, "thread")
		}
		if len(read) == 0 {
			return nil
		}
		return record(ctx, tx, actor, "response.report.read", reportObject(id), "fields="+strings.Join(read, ","))
	})
	return d, err
}

// openReport decrypts the sensitive fields of d's report into it and returns the names of
// the fields it read.
func (s *Service) openReport(ctx context.Context, q db.Queryer, d *ReportDetail) ([]string, error) {
	var address, description, attire, phone []byte
	if err := q.QueryRowContext(ctx, "SELECT address, description, attire, reporter_phone FROM response_reports WHERE id = ?", d.ID).Scan(
		&address, &description, &attire, &phone); err != nil {
		return nil, fmt.Errorf("response: read report: %w", err)
	}
	var read []string
	for _, f := range []struct {
		col string
		ct  []byte
		to  *string
	}{{"address", address, &d.Address}, {"description", description, &d.Description}, {"attire", attire, &d.Attire}, {"reporter_phone", phone, &d.Phone}} {
		if len(f.ct) == 0 {
			continue
		}
		plain, err := s.vault.DecryptString(reportsTable, d.ID, f.col, f.ct)
		if err != nil {
			return nil, err
		}
		*f.to = plain
		read = append(read, f.col)
	}
	return read, nil
}
