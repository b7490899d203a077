package people

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Segment is a filter saved by name, for messaging and exports.
type Segment struct {
	ID        int64
	Name      string
	Filter    Filter
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// SaveSegment creates a segment (id 0) or changes one. Names are unique, ignoring case and
// accents.
func (s *Service) SaveSegment(ctx context.Context, actor auth.Actor, id int64, name string, f Filter) (Segment, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return Segment{}, err
	}
	var l errs.List
	name, ok := cleanText(name, maxName)
	if !ok || name == "" {
		l.Add("name", "people.segment.name_invalid")
	}
	if err := f.Validate(); err != nil {
		l = append(l, errs.Fields(err)...)
	}
	if err := l.Err(); err != nil {
		return Segment{}, err
	}
	def, err := json.Marshal(f)
	if err != nil {
		return Segment{}, errs.Internal(err)
	}
	err = s.inTx(ctx, func(tx *db.Tx) error {
		if id == 0 {
			var err error
			id, err = tx.Insert(ctx, "INSERT INTO segments (name, name_key, definition, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
				name, Fold(name), string(def), actor.Label(), tx.Now, tx.Now)
			return db.Translate(err, "", "people.segment.name_taken")
		}
		res, err := tx.ExecContext(ctx, "UPDATE segments SET name = ?, name_key = ?, definition = ?, updated_at = ? WHERE id = ?",
			name, Fold(name), string(def), tx.Now, id)
		if err != nil {
			return db.Translate(err, "", "people.segment.name_taken")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFound("people.segment.not_found")
		}
		return nil
	})
	if err != nil {
		if e := errs.As(err); e.Code == errs.CodeConflict {
			e.Field = "name"
		}
		return Segment{}, err
	}
	return s.Segment(ctx, actor, id)
}

// Segment returns one saved segment.
func (s *Service) Segment(ctx context.Context, actor auth.Actor, id int64) (Segment, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return Segment{}, err
	}
	return loadSegment(ctx, s.db, id)
}

func loadSegment(ctx context.Context, q db.Queryer, id int64) (Segment, error) {
	var sg Segment
	var def string
	err := q.QueryRowContext(ctx, "SELECT id, name, definition, created_by, created_at, updated_at FROM segments WHERE id = ?", id).
		Scan(&sg.ID, &sg.Name, &def, &sg.CreatedBy, &sg.CreatedAt, &sg.UpdatedAt)
	if err != nil {
		return Segment{}, db.Translate(err, "people.segment.not_found", "")
	}
	if err := json.Unmarshal([]byte(def), &sg.Filter); err != nil {
		return Segment{}, errs.Internalf("people: segment %d definition: %w", id, err)
	}
	return sg, nil
}

// Segments lists the saved segments by name.
func (s *Service) Segments(ctx context.Context, actor auth.Actor) ([]Segment, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return nil, err
	}
	var out []Segment
	err := eachRow(ctx, s.db, "SELECT id, name, definition, created_by, created_at, updated_at FROM segments ORDER BY name_key LIMIT 1000", nil,
		func(scan func(...any) error) error {
			var sg Segment
			var def string
			if err := scan(&sg.ID, &sg.Name, &def, &sg.CreatedBy, &sg.CreatedAt, &sg.UpdatedAt); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(def), &sg.Filter); err != nil {
				return fmt.Errorf("segment %d: %w", sg.ID, err)
			}
			out = append(out, sg)
			return nil
		})
	return out, coded(err)
}

// DeleteSegment removes a saved segment (not its people).
func (s *Service) DeleteSegment(ctx context.Context, actor auth.Actor, id int64) error {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM segments WHERE id = ?", id)
		if err != nil {
			return fmt.Errorf("people: delete segment: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFound("people.segment.not_found")
		}
		return nil
	})
}

// Count returns how many people match the filter: the live count of the filter builder.
func (s *Service) Count(ctx context.Context, actor auth.Actor, f Filter) (int, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return 0, err
	}
	if err := f.Validate(); err != nil {
		return 0, err
	}
	return count(ctx, s.db, f)
}

func count(ctx context.Context, q db.Queryer, f Filter) (int, error) {
	c, err := compile(ctx, q, f)
	if err != nil {
		return 0, coded(err)
	}
	return c.count(ctx, q)
}

// Contact is what messaging needs of a person in a segment.
type Contact struct {
	ID           int64
	GivenName    string
	FamilyName   string
	Email        string // primary
	Phone        string // primary, E.164
	Language     string
	EmailConsent ConsentStatus // "" when none recorded
	SMSConsent   ConsentStatus
}

// Contacts returns up to limit people of the filter with an id above after, in id order:
// messaging and exports page through a segment with it. Check EmailConsent or SMSConsent
// (or put a ConsentRule in the filter) before sending anything.
func (s *Service) Contacts(ctx context.Context, actor auth.Actor, f Filter, after int64, limit int) ([]Contact, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return contacts(ctx, s.db, f, after, limit)
}

func contacts(ctx context.Context, q db.Queryer, f Filter, after int64, limit int) ([]Contact, error) {
	if limit <= 0 || limit > 5000 {
		limit = 1000
	}
	c, err := compile(ctx, q, f)
	if err != nil {
		return nil, coded(err)
	}
	where, args, err := c.where(ctx, q)
	if err != nil {
		return nil, coded(err)
	}
	var out []Contact
	err = eachRow(ctx, q, `SELECT p.id, p.given_name, p.family_name, p.email, p.phone, p.language,
		COALESCE((SELECT status FROM consents WHERE person_id = p.id AND channel = 'email'), ''),
		COALESCE((SELECT status FROM consents WHERE person_id = p.id AND channel = 'sms'), '')
		FROM people p WHERE p.id > ? AND `+where+" ORDER BY p.id LIMIT ?", append(append([]any{after}, args...), limit),
		func(scan func(...any) error) error {
			var ct Contact
			err := scan(&ct.ID, &ct.GivenName, &ct.FamilyName, &ct.Email, &ct.Phone, &ct.Language, &ct.EmailConsent, &ct.SMSConsent)
			out = append(out, ct)
			return err
		})
	return out, coded(err)
}

// EachContact calls fn for every person of the filter, in id order, reading a thousand at
// a time; it stops at fn's first error.
func (s *Service) EachContact(ctx context.Context, actor auth.Actor, f Filter, fn func(Contact) error) error {
	var after int64
	for {
		page, err := s.Contacts(ctx, actor, f, after, 1000)
		if err != nil {
			return err
		}
		for _, c := range page {
			if err := fn(c); err != nil {
				return err
			}
		}
		if len(page) < 1000 {
			return nil
		}
		after = page[len(page)-1].ID
	}
}
