package web

import (
	"net/http"

	"solidarity/internal/giving"
)

// givingRecurringPage is the data of the staff list of recurring gifts.
type givingRecurringPage struct {
	Gifts    []giving.Recurring
	Filter   string
	Statuses []giving.RecurringStatus
}

// Since is when a recurring gift entered its status, for the list.
func (givingRecurringPage) Since(r giving.Recurring) string {
	switch {
	case r.Status == giving.RecurringPastDue && r.FailedAt != nil:
		return r.FailedAt.Format("2006-01-02")
	case r.Status == giving.RecurringLapsed && r.LapsedAt != nil:
		return r.LapsedAt.Format("2006-01-02")
	case r.Status == giving.RecurringCancelled && r.CancelledAt != nil:
		return r.CancelledAt.Format("2006-01-02")
	}
	return r.StartedAt.Format("2006-01-02")
}

// givingPagesRecurring lists recurring gifts for staff: by default the failing ones (past
// due, lapsed), so that someone can reach out to those donors; ?status= chooses another
// status or all.
func (s *Server) givingPagesRecurring(w http.ResponseWriter, r *http.Request) {
	filter := r.URL.Query().Get("status")
	if filter == "" {
		filter = string(giving.FilterFailing)
	}
	gifts, err := s.Giving.RecurringGifts(r.Context(), actor(r), giving.RecurringFilter(filter))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "giving_pages_recurring", "giving.recurring.title",
		givingRecurringPage{Gifts: gifts, Filter: filter, Statuses: giving.RecurringStatuses()})
}
