package giving

import (
	"context"
	"fmt"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

// RecurringFilter chooses which recurring gifts staff list: "failing" (past due or lapsed,
// the ones that need a word with the donor), one status, or "all".
type RecurringFilter string

// The filters besides a status.
const (
	FilterFailing RecurringFilter = "failing"
	FilterAll     RecurringFilter = "all"
)

// recurringListMax bounds the staff list; the reports page has the totals.
const recurringListMax = 500

// RecurringGifts lists recurring gifts for staff (giving.read): the failing ones by
// default, most recent news first.
func (s *Service) RecurringGifts(ctx context.Context, actor auth.Actor, f RecurringFilter) ([]Recurring, error) {
	if err := actor.Require(auth.PermGivingRead); err != nil {
		return nil, err
	}
	where, args := "", []any{}
	switch f {
	case "", FilterFailing:
		where, args = " WHERE status IN (?, ?)", []any{RecurringPastDue, RecurringLapsed}
	case FilterAll:
	default:
		ok := false
		for _, st := range RecurringStatuses() {
			ok = ok || string(st) == string(f)
		}
		if !ok {
			return nil, errs.Invalid("status", "giving.recurring.filter_invalid")
		}
		where, args = " WHERE status = ?", []any{string(f)}
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+recurringColumns+" FROM giving_recurring"+where+
		" ORDER BY COALESCE(status_at, created_at) DESC, id DESC LIMIT ?", append(args, recurringListMax)...)
	if err != nil {
		return nil, coded(fmt.Errorf("giving: list recurring gifts: %w", err))
	}
	defer rows.Close()
	var out []Recurring
	for rows.Next() {
		var r Recurring
		if err := scanRecurring(rows.Scan, &r); err != nil {
			return nil, coded(fmt.Errorf("giving: list recurring gifts: %w", err))
		}
		out = append(out, r)
	}
	return out, coded(rows.Err())
}
