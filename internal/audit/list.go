package audit

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"solidarity/internal/db"
)

// Filter narrows List; zero fields do not filter.
type Filter struct {
	Actor  string    // exact actor label, e.g. "account:12"
	Action string    // action prefix: "auth." matches every auth action, "auth.signin" that one and its kin
	Object string    // exact object, e.g. "report:45"
	From   time.Time // entries at or after
	To     time.Time // entries before
	Before int64     // entries with seq below this (the cursor for the next page)
	Limit  int       // page size: DefaultLimit when 0, at most MaxLimit
}

// Page sizes for List.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// List returns the entries matching f, newest first. For the next page, pass the Seq of
// the last entry returned as Before.
func List(ctx context.Context, q db.Queryer, f Filter) ([]Stored, error) {
	var where []string
	var args []any
	if f.Actor != "" {
		where = append(where, "actor = ?")
		args = append(args, f.Actor)
	}
	if f.Action != "" {
		where = append(where, "substr(action, 1, ?) = ?")
		args = append(args, utf8.RuneCountInString(f.Action), f.Action)
	}
	if f.Object != "" {
		where = append(where, "object = ?")
		args = append(args, f.Object)
	}
	if !f.From.IsZero() {
		where = append(where, "at >= ?")
		args = append(args, f.From)
	}
	if !f.To.IsZero() {
		where = append(where, "at < ?")
		args = append(args, f.To)
	}
	if f.Before > 0 {
		where = append(where, "seq < ?")
		args = append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	query := "SELECT seq, at, actor, actor_name, action, object, detail, prev_hash, hash FROM audit_log"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY seq DESC LIMIT ?"
	args = append(args, limit)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	out := []Stored{}
	for rows.Next() {
		var s Stored
		if err := rows.Scan(&s.Seq, &s.At, &s.Actor, &s.ActorName, &s.Action, &s.Object, &s.Detail, &s.PrevHash, &s.Hash); err != nil {
			return nil, fmt.Errorf("audit: list: %w", err)
		}
		s.At = s.At.UTC()
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	return out, nil
}
