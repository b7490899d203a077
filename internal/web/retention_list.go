package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/retention"
)

// adminDay is the unit administrators set retention periods in.
const adminDay = 24 * time.Hour

// adminPolicyRow is one retention policy as the page shows it, in whole days.
type adminPolicyRow struct {
	retention.PolicyStatus
	Anchor      string // HTML id of the policy's form
	Days        int    // the period in effect
	DefaultDays int
	MinDays     int // the shortest period that may be set, rounded up to a day
	MaxDays     int
	RunCount    int    // rows the last run deleted
	Value       string // the value sent, when the form comes back with an error
	Error       string // message key of that error
}

// adminRetentionPage is the data of the retention page.
type adminRetentionPage struct {
	Policies []adminPolicyRow
	Errors   adminErrors // the error of the policy form sent, for the summary
	ErrorFor string      // the anchor of that form
}

// adminRetentionList shows every retention policy with its period, bounds and last run,
// a form per policy to change the period, and the button that runs them all now.
func (s *Server) adminRetentionList(w http.ResponseWriter, r *http.Request) {
	s.renderRetention(w, r, http.StatusOK, "", "", adminErrors{})
}

// renderRetention renders the retention page; when name is set, its form shows value and
// the error in fe.
func (s *Server) renderRetention(w http.ResponseWriter, r *http.Request, status int, name, value string, fe adminErrors) {
	policies, err := s.Retention.Policies(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := adminRetentionPage{Errors: fe}
	for _, ps := range policies {
		row := adminPolicyRow{
			PolicyStatus: ps, Anchor: "policy-" + strings.NewReplacer(".", "-", "_", "-").Replace(ps.Name),
			Days: int(ps.After / adminDay), DefaultDays: int(ps.Default / adminDay),
			MinDays: int((ps.Min + adminDay - 1) / adminDay), MaxDays: int(ps.Max / adminDay),
		}
		row.Value = strconv.Itoa(row.Days)
		if ps.LastRun != nil {
			row.RunCount = int(ps.LastRun.Count)
		}
		if ps.Name == name {
			row.Value, row.Error = value, fe.For("days")
			p.ErrorFor = row.Anchor
		}
		p.Policies = append(p.Policies, row)
	}
	s.render(w, r, status, "admin_retention", "retention.title", p)
}
