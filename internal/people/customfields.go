package people

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// FieldKind is the type of a custom field.
type FieldKind string

// The kinds of custom field.
const (
	FieldText   FieldKind = "text"
	FieldNumber FieldKind = "number"
	FieldDate   FieldKind = "date" // YYYY-MM-DD
	FieldChoice FieldKind = "choice"
)

// FieldDef is a custom field an administrator defined.
type FieldDef struct {
	ID      int64
	Key     string // lower-case letters, digits and underscores; what imports and the API use
	LabelEn string
	LabelEs string
	Kind    FieldKind
	Choices []Choice // for FieldChoice
	// Position orders the fields on forms.
	Position  int
	CreatedAt time.Time
}

// Choice is one allowed value of a choice field, with its labels.
type Choice struct {
	Value   string `json:"value"`
	LabelEn string `json:"label_en"`
	LabelEs string `json:"label_es"`
}

// Limits of custom fields.
const (
	maxFieldText  = 1000
	maxFieldLabel = 100
	maxChoices    = 100
)

var fieldKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// forbiddenField matches keys and labels that name immigration status or documents: the
// CRM must not hold them (see the package doc).
var forbiddenField = regexp.MustCompile(`(?i)(immigra|inmigra|migratori|visa(_|\b)|(^|[^a-z])a[-_]?(number|num)([^a-z]|$)|alien|(^|[^a-z])(daca|tps|uscis|ice)([^a-z]|$)|asylum|refugee[-_ ]?status|undocumented|indocumentad|green[-_ ]?card|deport|detention|detenci|papeles|legal[-_ ]?status|citizenship|ciudadan)`)

// DefineField creates a custom field, or changes the labels, choices and position of the
// one with the same key (its kind cannot change once values exist). Administrators only.
func (s *Service) DefineField(ctx context.Context, actor auth.Actor, f FieldDef) (FieldDef, error) {
	if err := actor.Require(auth.PermSettingsManage); err != nil {
		return FieldDef{}, err
	}
	var l errs.List
	f.Key = strings.TrimSpace(f.Key)
	if !fieldKey.MatchString(f.Key) {
		l.Add("key", "people.custom.key_invalid")
	}
	var ok bool
	if f.LabelEn, ok = cleanText(f.LabelEn, maxFieldLabel); !ok || f.LabelEn == "" {
		l.Add("label_en", "people.custom.label_invalid")
	}
	if f.LabelEs, ok = cleanText(f.LabelEs, maxFieldLabel); !ok || f.LabelEs == "" {
		l.Add("label_es", "people.custom.label_invalid")
	}
	words := f.Key + " " + f.LabelEn + " " + f.LabelEs
	for _, c := range f.Choices {
		words += " " + c.Value + " " + c.LabelEn + " " + c.LabelEs
	}
	if forbiddenField.MatchString(words) {
		l.Add("key", "people.custom.forbidden")
	}
	switch f.Kind {
	case FieldText, FieldNumber, FieldDate:
		f.Choices = nil
	case FieldChoice:
		if len(f.Choices) == 0 || len(f.Choices) > maxChoices {
			l.Add("choices", "people.custom.choices_invalid")
		}
		seen := map[string]bool{}
		for i, c := range f.Choices {
			c.Value, _ = cleanText(c.Value, maxFieldLabel)
			c.LabelEn, _ = cleanText(c.LabelEn, maxFieldLabel)
			c.LabelEs, _ = cleanText(c.LabelEs, maxFieldLabel)
			if c.Value == "" || seen[c.Value] || c.LabelEn == "" || c.LabelEs == "" {
				l.Add("choices", "people.custom.choices_invalid")
				break
			}
			seen[c.Value] = true
			f.Choices[i] = c
		}
	default:
		l.Add("kind", "people.custom.kind_invalid")
	}
	if err := l.Err(); err != nil {
		return FieldDef{}, err
	}
	choices, _ := json.Marshal(f.Choices)
	if f.Choices == nil {
		choices = []byte("[]")
	}
	err := s.inTx(ctx, func(tx *db.Tx) error {
		var kind FieldKind
		err := tx.QueryRowContext(ctx, "SELECT id, kind FROM custom_fields WHERE key = ?", f.Key).Scan(&f.ID, &kind)
		switch {
		case err == nil && kind != f.Kind:
			return errs.Invalid("kind", "people.custom.kind_fixed")
		case err == nil:
			_, err = tx.ExecContext(ctx, "UPDATE custom_fields SET label_en = ?, label_es = ?, choices = ?, position = ? WHERE id = ?",
				f.LabelEn, f.LabelEs, string(choices), f.Position, f.ID)
		default:
			f.CreatedAt = tx.Now
			f.ID, err = tx.Insert(ctx, "INSERT INTO custom_fields (key, label_en, label_es, kind, choices, position, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
				f.Key, f.LabelEn, f.LabelEs, f.Kind, string(choices), f.Position, tx.Now)
		}
		if err != nil {
			return fmt.Errorf("people: define field %s: %w", f.Key, err)
		}
		return record(ctx, tx, actor, "people.field_define", "custom_field:"+idString(f.ID), f.Key)
	})
	if err != nil {
		return FieldDef{}, err
	}
	return f, nil
}

// DeleteField removes a custom field and every value of it. Administrators only.
func (s *Service) DeleteField(ctx context.Context, actor auth.Actor, key string) error {
	if err := actor.Require(auth.PermSettingsManage); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, "SELECT id FROM custom_fields WHERE key = ?", key).Scan(&id); err != nil {
			return db.Translate(err, "people.custom.not_found", "")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM custom_fields WHERE id = ?", id); err != nil {
			return fmt.Errorf("people: delete field: %w", err)
		}
		return record(ctx, tx, actor, "people.field_delete", "custom_field:"+idString(id), key)
	})
}

// Fields lists the custom fields in form order. Anyone who can read people may see them.
func (s *Service) Fields(ctx context.Context, actor auth.Actor) ([]FieldDef, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return nil, err
	}
	return fieldDefs(ctx, s.db)
}

func fieldDefs(ctx context.Context, q db.Queryer) ([]FieldDef, error) {
	var out []FieldDef
	err := eachRow(ctx, q, "SELECT id, key, label_en, label_es, kind, choices, position, created_at FROM custom_fields ORDER BY position, key", nil,
		func(scan func(...any) error) error {
			var f FieldDef
			var choices string
			if err := scan(&f.ID, &f.Key, &f.LabelEn, &f.LabelEs, &f.Kind, &choices, &f.Position, &f.CreatedAt); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(choices), &f.Choices); err != nil {
				return fmt.Errorf("field %s choices: %w", f.Key, err)
			}
			out = append(out, f)
			return nil
		})
	return out, coded(err)
}

// fieldValues checks custom field values against their definitions and returns them by
// field id in canonical form (numbers without needless digits, dates as YYYY-MM-DD, text
// on one line). An empty value stays empty, which clears the field.
func fieldValues(defs []FieldDef, in map[string]string) (map[int64]string, errs.List) {
	if len(in) == 0 {
		return nil, nil
	}
	byKey := map[string]FieldDef{}
	for _, d := range defs {
		byKey[d.Key] = d
	}
	out := map[int64]string{}
	var l errs.List
	for k, v := range in {
		d, ok := byKey[k]
		if !ok {
			l.Add("fields."+k, "people.custom.unknown")
			continue
		}
		v, ok := canonicalValue(d, v)
		if !ok {
			l.Add("fields."+k, "people.custom.value_invalid."+string(d.Kind))
			continue
		}
		out[d.ID] = v
	}
	return out, l
}

// canonicalValue returns v in the canonical form of d's kind, and whether it is valid.
func canonicalValue(d FieldDef, v string) (string, bool) {
	v, ok := cleanText(v, maxFieldText)
	if !ok {
		return v, false
	}
	if v == "" {
		return "", true
	}
	switch d.Kind {
	case FieldNumber:
		f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
		if err != nil || f != f || f > 1e15 || f < -1e15 {
			return v, false
		}
		return strconv.FormatFloat(f, 'f', -1, 64), true
	case FieldDate:
		for _, layout := range []string{"2006-01-02", "1/2/2006", "01/02/2006"} {
			if t, err := time.Parse(layout, v); err == nil {
				return t.Format("2006-01-02"), true
			}
		}
		return v, false
	case FieldChoice:
		for _, c := range d.Choices {
			if strings.EqualFold(c.Value, v) || strings.EqualFold(c.LabelEn, v) || strings.EqualFold(c.LabelEs, v) {
				return c.Value, true
			}
		}
		return v, false
	}
	return v, true
}
