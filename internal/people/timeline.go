package people

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Event is one entry of a person's timeline: something they did (signed up, gave, acted)
// or something that happened to them (a message, a membership change).
type Event struct {
	ID       int64
	PersonID int64
	At       time.Time
	// Kind is module-specific, such as "giving.gift" or "membership.lapsed".
	Kind string
	// SummaryKey is the i18n key the page shows, filled from Data.
	SummaryKey string
	// Data is small JSON that the summary's placeholders use. It must never hold sensitive
	// values (THREAT-MODEL.md).
	Data   map[string]any
	Source string // the module that appended it
}

// NewEvent is what a module appends to a timeline.
type NewEvent struct {
	Kind       string
	SummaryKey string
	Data       map[string]any
	Source     string
	// At is when it happened; zero means the transaction's time.
	At time.Time
	// Activity marks something the person did themselves, which moves their last-active
	// time.
	Activity bool
}

// maxEventData bounds the JSON of one event.
const maxEventData = 2000

// AddEvent appends an event to a person's timeline inside the caller's transaction. Other
// modules call it: a gift, a petition signature, a message sent.
func (s *Service) AddEvent(ctx context.Context, tx *db.Tx, personID int64, e NewEvent) error {
	e.Kind, e.SummaryKey, e.Source = strings.TrimSpace(e.Kind), strings.TrimSpace(e.SummaryKey), strings.TrimSpace(e.Source)
	if e.Kind == "" || e.SummaryKey == "" || e.Source == "" || len(e.Kind) > 100 || len(e.SummaryKey) > 200 || len(e.Source) > 50 {
		return fmt.Errorf("people: timeline event needs a kind, summary key and source (got %q, %q, %q)", e.Kind, e.SummaryKey, e.Source)
	}
	data := []byte("{}")
	if len(e.Data) > 0 {
		var err error
		if data, err = json.Marshal(e.Data); err != nil {
			return fmt.Errorf("people: timeline data: %w", err)
		}
		if len(data) > maxEventData {
			return fmt.Errorf("people: timeline data of %s is %d bytes, over %d", e.Kind, len(data), maxEventData)
		}
	}
	at := e.At
	if at.IsZero() {
		at = tx.Now
	}
	at = at.UTC().Truncate(time.Microsecond)
	if _, err := tx.ExecContext(ctx, "INSERT INTO timeline (person_id, at, kind, summary_key, data, source) VALUES (?, ?, ?, ?, ?, ?)",
		personID, at, e.Kind, e.SummaryKey, string(data), e.Source); err != nil {
		if db.IsForeignKey(err) {
			return errs.NotFound("people.person.not_found")
		}
		return fmt.Errorf("people: append timeline: %w", err)
	}
	if e.Activity {
		if _, err := tx.ExecContext(ctx, "UPDATE people SET last_active_at = ? WHERE id = ? AND last_active_at < ?", at, personID, at); err != nil {
			return fmt.Errorf("people: mark active: %w", err)
		}
	}
	return nil
}

// TimelinePage is one page of a timeline, newest first.
type TimelinePage struct {
	Events []Event
	// Next is the cursor of the following (older) page; "" on the last page.
	Next string
}

// Timeline returns a person's events, newest first, after the cursor of a previous page.
func (s *Service) Timeline(ctx context.Context, actor auth.Actor, personID int64, cursor string, limit int) (TimelinePage, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return TimelinePage{}, err
	}
	limit = pageSize(limit)
	where, args := "person_id = ?", []any{personID}
	if cursor != "" {
		c, err := decodeCursor(cursor)
		if err != nil {
			return TimelinePage{}, err
		}
		at, err := time.Parse(time.RFC3339Nano, c.Value)
		if err != nil {
			return TimelinePage{}, errs.Invalid("cursor", "people.cursor.invalid")
		}
		where += " AND (at < ? OR (at = ? AND id < ?))"
		args = append(args, at, at, c.ID)
	}
	var page TimelinePage
	err := eachRow(ctx, s.db, "SELECT id, person_id, at, kind, summary_key, data, source FROM timeline WHERE "+where+
		" ORDER BY at DESC, id DESC LIMIT ?", append(args, limit+1), func(scan func(...any) error) error {
		var e Event
		var data string
		if err := scan(&e.ID, &e.PersonID, &e.At, &e.Kind, &e.SummaryKey, &data, &e.Source); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return fmt.Errorf("timeline %d data: %w", e.ID, err)
		}
		page.Events = append(page.Events, e)
		return nil
	})
	if err != nil {
		return TimelinePage{}, coded(err)
	}
	if len(page.Events) > limit {
		page.Events = page.Events[:limit]
		last := page.Events[limit-1]
		page.Next = encodeCursor(cursorValue{Value: last.At.UTC().Format(time.RFC3339Nano), ID: last.ID})
	}
	return page, nil
}
