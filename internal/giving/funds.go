package giving

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Fund is a designation a gift can carry: the general fund, a bail fund, legal defence.
type Fund struct {
	ID        int64
	Code      string // short and stable, for exports and the books: "general", "bail-fund"
	NameEn    string
	NameEs    string
	Active    bool // inactive funds stay on old gifts but are no longer offered
	CreatedAt time.Time
}

// Name returns the fund's name in lang.
func (f Fund) Name(lang string) string {
	if lang == "es" && f.NameEs != "" {
		return f.NameEs
	}
	return f.NameEn
}

// Limits of a fund's fields, in characters.
const (
	maxFundCode = 40
	maxFundName = 120
)

// Validate trims the fund and reports every problem at once: a code of lower-case
// letters, digits, "-" and "_", and a name in each language.
func (f *Fund) Validate() error {
	var l errs.List
	f.Code = strings.ToLower(strings.TrimSpace(f.Code))
	f.NameEn, f.NameEs = strings.TrimSpace(f.NameEn), strings.TrimSpace(f.NameEs)
	switch {
	case f.Code == "":
		l.Add("code", "giving.fund.code_required")
	case len(f.Code) > maxFundCode || strings.IndexFunc(f.Code, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) >= 0:
		l.Add("code", "giving.fund.code_invalid")
	}
	for field, v := range map[string]string{"name_en": f.NameEn, "name_es": f.NameEs} {
		switch {
		case v == "":
			l.Add(field, "giving.fund.name_required")
		case utf8.RuneCountInString(v) > maxFundName || strings.ContainsAny(v, "\r\n\t\x00"):
			l.Add(field, "giving.fund.name_invalid")
		}
	}
	return l.Err()
}

// Funds lists the funds by name, only the active ones when activeOnly. It needs
// giving.read.
func (s *Service) Funds(ctx context.Context, actor auth.Actor, activeOnly bool) ([]Fund, error) {
	if err := actor.Require(auth.PermGivingRead); err != nil {
		return nil, err
	}
	q := "SELECT id, code, name_en, name_es, active, created_at FROM giving_funds"
	if activeOnly {
		q += " WHERE active = TRUE"
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY name_en, id")
	if err != nil {
		return nil, errs.Internal(fmt.Errorf("giving: list funds: %w", err))
	}
	defer rows.Close()
	var out []Fund
	for rows.Next() {
		var f Fund
		if err := rows.Scan(&f.ID, &f.Code, &f.NameEn, &f.NameEs, &f.Active, &f.CreatedAt); err != nil {
			return nil, errs.Internal(fmt.Errorf("giving: read fund: %w", err))
		}
		out = append(out, f)
	}
	return out, coded(rows.Err())
}

// Fund returns one fund. It needs giving.read.
func (s *Service) Fund(ctx context.Context, actor auth.Actor, id int64) (Fund, error) {
	if err := actor.Require(auth.PermGivingRead); err != nil {
		return Fund{}, err
	}
	return loadFund(ctx, s.db, id)
}

func loadFund(ctx context.Context, q db.Queryer, id int64) (Fund, error) {
	var f Fund
	err := q.QueryRowContext(ctx, "SELECT id, code, name_en, name_es, active, created_at FROM giving_funds WHERE id = ?", id).
		Scan(&f.ID, &f.Code, &f.NameEn, &f.NameEs, &f.Active, &f.CreatedAt)
	return f, db.Translate(err, "giving.fund.not_found", "")
}

// SaveFund adds a fund (id 0) or changes one. A code already taken is a conflict on the
// code. Audited.
func (s *Service) SaveFund(ctx context.Context, actor auth.Actor, id int64, f Fund) (Fund, error) {
	if err := actor.Require(auth.PermGivingWrite); err != nil {
		return Fund{}, err
	}
	if err := f.Validate(); err != nil {
		return Fund{}, err
	}
	err := s.inTx(ctx, func(tx *db.Tx) error {
		action := "giving.fund.update"
		if id == 0 {
			action = "giving.fund.create"
			var err error
			id, err = tx.Insert(ctx, "INSERT INTO giving_funds (code, name_en, name_es, active, created_at) VALUES (?, ?, ?, ?, ?)",
				f.Code, f.NameEn, f.NameEs, f.Active, tx.Now)
			if err != nil {
				return fundConflict(err)
			}
		} else {
			res, err := tx.ExecContext(ctx, "UPDATE giving_funds SET code = ?, name_en = ?, name_es = ?, active = ? WHERE id = ?",
				f.Code, f.NameEn, f.NameEs, f.Active, id)
			if err != nil {
				return fundConflict(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return errs.NotFound("giving.fund.not_found")
			}
		}
		return record(ctx, tx, actor, action, fundObject(id), fmt.Sprintf(`{"code":%q,"active":%t}`, f.Code, f.Active))
	})
	if err != nil {
		return Fund{}, err
	}
	return loadFund(ctx, s.db, id)
}

// DeleteFund removes a fund that no gift, page or monthly gift carries; one in use is a
// conflict (make it inactive instead, so that the books keep their designations).
// Audited.
func (s *Service) DeleteFund(ctx context.Context, actor auth.Actor, id int64) error {
	if err := actor.Require(auth.PermGivingWrite); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		var used bool
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM giving_gifts WHERE fund_id = ?)
			OR EXISTS (SELECT 1 FROM giving_pages WHERE fund_id = ?) OR EXISTS (SELECT 1 FROM giving_recurring WHERE fund_id = ?)`,
			id, id, id).Scan(&used)
		if err != nil {
			return fmt.Errorf("giving: fund in use: %w", err)
		}
		if used {
			return errs.Conflict("giving.fund.in_use")
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM giving_funds WHERE id = ?", id)
		if err != nil {
			return fmt.Errorf("giving: delete fund: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFound("giving.fund.not_found")
		}
		return record(ctx, tx, actor, "giving.fund.delete", fundObject(id), "")
	})
}

// fundConflict turns a taken code into a field conflict.
func fundConflict(err error) error {
	if db.IsUnique(err) {
		return &errs.Error{Code: errs.CodeConflict, Field: "code", Key: "giving.fund.code_taken", Cause: err}
	}
	return fmt.Errorf("giving: save fund: %w", err)
}

// fundObject is how audit entries name a fund.
func fundObject(id int64) string { return fmt.Sprintf("giving_fund:%d", id) }
