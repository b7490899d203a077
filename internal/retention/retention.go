// Package retention deletes what Solidarity no longer needs to keep. Modules register
// policies (reporter contact details 30 days after a report closes, false-alarm locations
// after 7 days…); administrators may change each period within its bounds; a periodic job
// runs every policy, and each run really deletes rows or clears fields, then logs the run
// and writes an audit entry. It touches the database, the audit log and the job queue.
package retention

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"solidarity/internal/audit"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Policy is one kind of data that is deleted after a while.
type Policy struct {
	// Name identifies the policy, as module.what: "response.reporter_contact".
	Name string
	// Description is the i18n key of a sentence telling administrators what is deleted
	// and when, such as "response.retention.reporter_contact".
	Description string
	// Default is how long the data is kept unless an administrator sets otherwise.
	Default time.Duration
	// Min and Max bound what administrators may set; zero means MinAfter and MaxAfter.
	Min, Max time.Duration
	// Purge deletes (or clears the fields of) everything that became due before cutoff
	// (tx.Now minus the period in effect) and returns how many rows it changed. It runs in
	// a transaction that also logs the run, so the deletion and its record commit
	// together; files on disk should be removed with tx.AfterCommit. Its error is stored in
	// the run log and must not contain sensitive values.
	Purge func(ctx context.Context, tx *db.Tx, cutoff time.Time) (int, error)
}

// Bounds used when a policy sets none: a typo cannot wipe data within the hour, nor keep it
// for a lifetime.
const (
	MinAfter = time.Hour
	MaxAfter = 10 * 365 * 24 * time.Hour
)

// RunsPolicy is the service's own policy, which deletes old entries of the run log.
const RunsPolicy = "retention.runs"

// Service holds the registered policies and runs them.
type Service struct {
	db  *db.DB
	log *slog.Logger

	mu       sync.RWMutex
	policies map[string]Policy
}

// New returns a service with its own RunsPolicy registered (run log entries are kept for a
// year by default).
func New(d *db.DB, log *slog.Logger) *Service {
	s := &Service{db: d, log: log, policies: map[string]Policy{}}
	s.Register(Policy{
		Name:        RunsPolicy,
		Description: "retention.policy.runs",
		Default:     365 * 24 * time.Hour,
		Min:         30 * 24 * time.Hour,
		Purge: func(ctx context.Context, tx *db.Tx, cutoff time.Time) (int, error) {
			return deleted(tx.ExecContext(ctx, "DELETE FROM retention_runs WHERE started_at < ?", cutoff))
		},
	})
	return s
}

// Register adds a policy; modules call it at start-up. It panics on a policy without a
// name or purge function, with a default outside its bounds, or with a name already
// taken, since each of those is a programming error.
func (s *Service) Register(p Policy) {
	if p.Min == 0 {
		p.Min = MinAfter
	}
	if p.Max == 0 {
		p.Max = MaxAfter
	}
	switch {
	case p.Name == "" || p.Purge == nil:
		panic("retention: a policy needs a name and a purge function")
	case p.Min <= 0 || p.Min > p.Max || p.Default < p.Min || p.Default > p.Max:
		panic(fmt.Sprintf("retention: policy %s: default %v is outside %v…%v", p.Name, p.Default, p.Min, p.Max))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.policies[p.Name]; taken {
		panic("retention: policy " + p.Name + " registered twice")
	}
	s.policies[p.Name] = p
}

// sorted returns the policies by name, so that runs and listings are in a stable order.
func (s *Service) sorted() []Policy {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Policy, 0, len(s.policies))
	for _, p := range s.policies {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Policy) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

func (s *Service) policy(name string) (Policy, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.policies[name]
	return p, ok
}

// Set changes how long the named policy's data is kept. actor and actorName say who made
// the change, for the audit log ("account:12", "Ana"). The caller checks permission.
func (s *Service) Set(ctx context.Context, name string, after time.Duration, actor, actorName string) error {
	p, ok := s.policy(name)
	if !ok {
		return errs.NotFound("retention.policy.not_found")
	}
	switch {
	case after <= 0:
		return errs.Invalid("after", "retention.after.not_positive")
	case after < p.Min:
		return errs.Invalid("after", "retention.after.too_short")
	case after > p.Max:
		return errs.Invalid("after", "retention.after.too_long")
	}
	secs := int64(after / time.Second)
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO retention_policies (name, after_seconds, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET after_seconds = excluded.after_seconds, updated_at = excluded.updated_at",
			name, secs, tx.Now); err != nil {
			return errs.Internalf("retention: set %s: %w", name, err)
		}
		return audit.Record(ctx, tx, audit.Entry{
			Actor: actor, ActorName: actorName, Action: "retention.set",
			Object: "retention:" + name, Detail: fmt.Sprintf("after=%v", time.Duration(secs)*time.Second),
		})
	})
}

// after returns the period in effect for p: the administrator's setting, held within the
// policy's bounds (which a later release may have tightened), or the default.
func after(ctx context.Context, q db.Queryer, p Policy) (d time.Duration, custom bool, err error) {
	var secs int64
	err = q.QueryRowContext(ctx, "SELECT after_seconds FROM retention_policies WHERE name = ?", p.Name).Scan(&secs)
	if errors.Is(err, sql.ErrNoRows) {
		return p.Default, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("retention: read setting of %s: %w", p.Name, err)
	}
	return min(max(time.Duration(secs)*time.Second, p.Min), p.Max), true, nil
}

// deleted turns an Exec result into the count a Purge function returns.
func deleted(res sql.Result, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
