package retention

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/audit"
	"solidarity/internal/db"
)

// maxErrorText bounds the error text kept in the run log.
const maxErrorText = 500

// RunAll runs every policy, each in its own transaction, and returns the failures
// joined; one failing policy does not stop the others.
func (s *Service) RunAll(ctx context.Context) error {
	var failed []error
	for _, p := range s.sorted() {
		if err := s.run(ctx, p); err != nil {
			failed = append(failed, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(failed...)
}

// run purges one policy and logs the run and its audit entry in the same transaction; a
// failed purge rolls back whole and is logged in a transaction of its own.
func (s *Service) run(ctx context.Context, p Policy) error {
	started := s.db.Now()
	var count int
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		keep, _, err := after(ctx, tx, p)
		if err != nil {
			return err
		}
		n, err := p.Purge(ctx, tx, tx.Now.Add(-keep))
		if err != nil {
			return fmt.Errorf("retention: purge %s: %w", p.Name, err)
		}
		count = n
		return s.logRun(ctx, tx, p.Name, started, n, nil)
	})
	if err == nil {
		s.log.Info("retention purge", "policy", p.Name, "count", count, "took", s.db.Now().Sub(started))
		return nil
	}
	s.log.Error("retention purge failed", "policy", p.Name, "err", err)
	if ctx.Err() != nil {
		return err
	}
	lerr := s.db.InTx(ctx, func(tx *db.Tx) error { return s.logRun(ctx, tx, p.Name, started, 0, err) })
	return errors.Join(err, lerr)
}

// logRun writes the run log row and the audit entry of one run.
func (s *Service) logRun(ctx context.Context, tx *db.Tx, name string, started time.Time, count int, failure error) error {
	text, action := "", "retention.purge"
	if failure != nil {
		text, action = failure.Error(), "retention.purge_failed"
		if len(text) > maxErrorText {
			text = strings.ToValidUTF8(text[:maxErrorText], "")
		}
	}
	if _, err := tx.ExecContext(ctx,
		"INSERT INTO retention_runs (policy, started_at, finished_at, count, error) VALUES (?, ?, ?, ?, ?)",
		name, started, s.db.Now(), count, text); err != nil {
		return fmt.Errorf("retention: log run of %s: %w", name, err)
	}
	return audit.Record(ctx, tx, audit.Entry{
		Actor: "system", ActorName: "Retention", Action: action,
		Object: "retention:" + name, Detail: "count=" + strconv.Itoa(count),
	})
}
