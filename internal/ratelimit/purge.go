package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/jobs"
)

// Purge deletes the rows of every window that ended at or before now and returns how many
// it removed. Each key starts with its window length, so each row goes as soon as its own
// window is over; rows older than MaxWindow go whatever their key.
func (l *Limiter) Purge(ctx context.Context, now time.Time) (int64, error) {
	prefix := "substr(key, 1, instr(key, ':') - 1)"
	if l.db.Dialect() == db.Postgres {
		prefix = "split_part(key, ':', 1)"
	}
	rows, err := l.db.QueryContext(ctx, "SELECT DISTINCT "+prefix+" FROM rate_counts")
	if err != nil {
		return 0, fmt.Errorf("ratelimit: purge: %w", err)
	}
	var windows []int64
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return 0, fmt.Errorf("ratelimit: purge: %w", err)
		}
		if secs, err := strconv.ParseInt(s, 10, 64); err == nil && secs > 0 && secs <= int64(MaxWindow/time.Second) {
			windows = append(windows, secs)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("ratelimit: purge: %w", err)
	}
	var total int64
	del := func(query string, args ...any) error {
		res, err := l.db.ExecContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("ratelimit: purge: %w", err)
		}
		n, err := res.RowsAffected()
		total += n
		return err
	}
	for _, secs := range windows {
		p := strconv.FormatInt(secs, 10) + ":"
		// A window that started at or before now-window has ended.
		cutoff := now.Add(-time.Duration(secs) * time.Second)
		if err := del("DELETE FROM rate_counts WHERE substr(key, 1, ?) = ? AND window_start <= ?", len(p), p, cutoff); err != nil {
			return total, err
		}
	}
	if err := del("DELETE FROM rate_counts WHERE window_start <= ?", now.Add(-MaxWindow)); err != nil {
		return total, err
	}
	return total, nil
}

// PurgeArgs is the job that purges ended windows.
type PurgeArgs struct{}

// Kind names the job.
func (PurgeArgs) Kind() string { return "ratelimit.purge" }

type purgeWorker struct {
	jobs.WorkerDefaults[PurgeArgs]
	l *Limiter
}

func (w *purgeWorker) Work(ctx context.Context, _ *jobs.Job[PurgeArgs]) error {
	_, err := w.l.Purge(ctx, w.l.db.Now())
	return err
}

// RegisterJobs registers the "ratelimit.purge" worker and runs it every interval (a few
// minutes keeps the table small and short-lived) on one node of the cluster. Call before
// q.Build.
func (l *Limiter) RegisterJobs(q *jobs.Queue, every time.Duration) {
	jobs.Register(q, &purgeWorker{l: l})
	q.Every(every, PurgeArgs{})
}
