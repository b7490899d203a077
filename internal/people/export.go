package people

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/db"
)

// Neutralize makes a cell safe to open in a spreadsheet: a cell that starts with =, +,
// -, @, a tab or a carriage return gets a leading apostrophe, so that it is shown as text
// and never run as a formula (OWASP CSV injection). Imports remove that apostrophe again.
func Neutralize(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// ExportColumns are the fixed columns of a people export, in order; custom fields follow
// by key. The names are ones AutoMap reads back.
var ExportColumns = []string{
	"id", "given_name", "family_name", "email", "phone", "street", "street2", "city", "state", "county", "zip",
	"country", "language", "tags", "email_consent", "sms_consent", "membership_status", "membership_tier",
	"membership_expires", "created_at", "last_active_at",
}

// ExportRequest says what to export: a saved segment, or else an ad-hoc filter.
type ExportRequest struct {
	SegmentID int64
	Filter    Filter
}

// Export writes the people of a segment (or filter) to w as CSV, every cell neutralized
// against formula injection, and returns how many people it wrote. It needs people.export,
// and records the export (segment, filter and count) in the audit log before the first row
// leaves, so that no export goes unrecorded.
func (s *Service) Export(ctx context.Context, actor auth.Actor, req ExportRequest, w io.Writer) (int, error) {
	if err := actor.Require(auth.PermPeopleExport); err != nil {
		return 0, err
	}
	f, object := req.Filter, "people"
	if req.SegmentID != 0 {
		sg, err := loadSegment(ctx, s.db, req.SegmentID)
		if err != nil {
			return 0, err
		}
		f, object = sg.Filter, fmt.Sprintf("segment:%d", sg.ID)
	}
	if err := f.Validate(); err != nil {
		return 0, err
	}
	n, err := count(ctx, s.db, f)
	if err != nil {
		return 0, err
	}
	def, _ := json.Marshal(f)
	detail := fmt.Sprintf(`{"count":%d,"filter":%s}`, n, def)
	if len(detail) > 1900 {
		detail = fmt.Sprintf(`{"count":%d}`, n)
	}
	if err := s.inTx(ctx, func(tx *db.Tx) error { return record(ctx, tx, actor, "people.export", object, detail) }); err != nil {
		return 0, err
	}
	defs, err := fieldDefs(ctx, s.db)
	if err != nil {
		return 0, err
	}
	tiers, err := s.Tiers(ctx, false)
	if err != nil {
		return 0, err
	}
	tierNames := map[int64]string{}
	for _, t := range tiers {
		tierNames[t.ID] = t.NameEn
	}
	cw := csv.NewWriter(w)
	header := append([]string{}, ExportColumns...)
	for _, d := range defs {
		header = append(header, d.Key)
	}
	if err := cw.Write(header); err != nil {
		return 0, fmt.Errorf("people: export: %w", err)
	}
	c, err := compile(ctx, s.db, f)
	if err != nil {
		return 0, coded(err)
	}
	where, args, err := c.where(ctx, s.db)
	if err != nil {
		return 0, coded(err)
	}
	written := 0
	var after int64
	for {
		rows, err := s.exportPage(ctx, where, args, defs, tierNames, after)
		if err != nil {
			return written, err
		}
		for _, r := range rows {
			for i := range r.cells {
				r.cells[i] = Neutralize(r.cells[i])
			}
			if err := cw.Write(r.cells); err != nil {
				return written, fmt.Errorf("people: export: %w", err)
			}
			written++
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return written, fmt.Errorf("people: export: %w", err)
		}
		if len(rows) < exportPage {
			return written, nil
		}
		after = rows[len(rows)-1].id
	}
}

const exportPage = 1000

type exportRow struct {
	id    int64
	cells []string
}

// exportPage reads the next page of export rows after id.
func (s *Service) exportPage(ctx context.Context, where string, args []any, defs []FieldDef, tiers map[int64]string, after int64) ([]exportRow, error) {
	var rows []exportRow
	index := map[int64]int{}
	err := eachRow(ctx, s.db, `SELECT p.id, p.given_name, p.family_name, p.email, p.phone, p.street, p.street2, p.city, p.state, p.county, p.zip,
		p.country, p.language,
		COALESCE((SELECT status FROM consents WHERE person_id = p.id AND channel = 'email'), ''),
		COALESCE((SELECT status FROM consents WHERE person_id = p.id AND channel = 'sms'), ''),
		COALESCE(m.status, ''), COALESCE(m.tier_id, 0), m.expires_at, p.created_at, p.last_active_at
		FROM people p LEFT JOIN memberships m ON m.person_id = p.id WHERE p.id > ? AND `+where+` ORDER BY p.id LIMIT ?`,
		append(append([]any{after}, args...), exportPage), func(scan func(...any) error) error {
			var r exportRow
			var v [12]string
			var emailC, smsC, mstatus string
			var tier int64
			var p Person
			var exp sql.NullTime
			if err := scan(&r.id, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11],
				&emailC, &smsC, &mstatus, &tier, &exp, &p.CreatedAt, &p.LastActiveAt); err != nil {
				return err
			}
			expires := ""
			if exp.Valid {
				expires = exp.Time.UTC().Format("2006-01-02")
			}
			r.cells = append([]string{idString(r.id)}, v[:]...)
			r.cells = append(r.cells, "", emailC, smsC, mstatus, tiers[tier], expires,
				p.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"), p.LastActiveAt.UTC().Format("2006-01-02T15:04:05Z"))
			r.cells = append(r.cells, make([]string, len(defs))...)
			index[r.id] = len(rows)
			rows = append(rows, r)
			return nil
		})
	if err != nil || len(rows) == 0 {
		return rows, coded(err)
	}
	lo, hi := rows[0].id, rows[len(rows)-1].id
	tagCol := 13
	err = eachRow(ctx, s.db, `SELECT pt.person_id, t.name FROM person_tags pt JOIN tags t ON t.id = pt.tag_id
		WHERE pt.person_id BETWEEN ? AND ? ORDER BY pt.person_id, t.name_key`, []any{lo, hi}, func(scan func(...any) error) error {
		var id int64
		var name string
		if err := scan(&id, &name); err != nil {
			return err
		}
		if i, ok := index[id]; ok {
			cell := &rows[i].cells[tagCol]
			if *cell != "" {
				*cell += ", "
			}
			*cell += name
		}
		return nil
	})
	if err != nil {
		return nil, coded(err)
	}
	if len(defs) > 0 {
		col := map[int64]int{}
		for i, d := range defs {
			col[d.ID] = len(ExportColumns) + i
		}
		err = eachRow(ctx, s.db, "SELECT person_id, field_id, value FROM person_fields WHERE person_id BETWEEN ? AND ?", []any{lo, hi},
			func(scan func(...any) error) error {
				var id, f int64
				var v string
				if err := scan(&id, &f, &v); err != nil {
					return err
				}
				if i, ok := index[id]; ok {
					if c, ok := col[f]; ok {
						rows[i].cells[c] = v
					}
				}
				return nil
			})
	}
	return rows, coded(err)
}
