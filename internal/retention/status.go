package retention

import (
	"context"
	"fmt"
	"time"
)

// Run is one logged run of a policy.
type Run struct {
	Started, Finished time.Time
	Count             int64  // rows deleted or cleared
	Error             string // empty when the run succeeded
}

// PolicyStatus is a policy as administrators see it.
type PolicyStatus struct {
	Name        string
	Description string        // i18n key
	Default     time.Duration // the module's default
	After       time.Duration // the period in effect
	Custom      bool          // After was set by an administrator
	Min, Max    time.Duration // what may be set
	LastRun     *Run          // nil when the policy has never run
}

// Policies lists every registered policy by name, with its setting and last run.
func (s *Service) Policies(ctx context.Context) ([]PolicyStatus, error) {
	last, err := s.lastRuns(ctx)
	if err != nil {
		return nil, err
	}
	var out []PolicyStatus
	for _, p := range s.sorted() {
		keep, custom, err := after(ctx, s.db, p)
		if err != nil {
			return nil, err
		}
		st := PolicyStatus{Name: p.Name, Description: p.Description, Default: p.Default, After: keep, Custom: custom, Min: p.Min, Max: p.Max}
		if r, ok := last[p.Name]; ok {
			st.LastRun = &r
		}
		out = append(out, st)
	}
	return out, nil
}

// lastRuns returns the newest run of every policy that has run.
func (s *Service) lastRuns(ctx context.Context) (map[string]Run, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.policy, r.started_at, r.finished_at, r.count, r.error
		FROM retention_runs r JOIN (SELECT policy, MAX(id) AS id FROM retention_runs GROUP BY policy) l ON l.id = r.id`)
	if err != nil {
		return nil, fmt.Errorf("retention: last runs: %w", err)
	}
	defer rows.Close()
	out := map[string]Run{}
	for rows.Next() {
		var name string
		var r Run
		if err := rows.Scan(&name, &r.Started, &r.Finished, &r.Count, &r.Error); err != nil {
			return nil, fmt.Errorf("retention: last runs: %w", err)
		}
		r.Started, r.Finished = r.Started.UTC(), r.Finished.UTC()
		out[name] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("retention: last runs: %w", err)
	}
	return out, nil
}
