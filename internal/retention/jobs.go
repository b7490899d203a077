package retention

import (
	"context"
	"time"

	"solidarity/internal/jobs"
)

// RunArgs is the job that runs every policy.
type RunArgs struct{}

// Kind names the job.
func (RunArgs) Kind() string { return "retention.run" }

type runWorker struct {
	jobs.WorkerDefaults[RunArgs]
	s *Service
}

// Timeout gives a long purge more than the queue's default five minutes.
func (w *runWorker) Timeout(*jobs.Job[RunArgs]) time.Duration { return 30 * time.Minute }

func (w *runWorker) Work(ctx context.Context, _ *jobs.Job[RunArgs]) error { return w.s.RunAll(ctx) }

// RegisterJobs registers the "retention.run" worker and runs it every interval (and once at
// start) on one node of the cluster. Call before q.Build.
func (s *Service) RegisterJobs(q *jobs.Queue, every time.Duration) {
	jobs.Register(q, &runWorker{s: s})
	q.Every(every, RunArgs{})
}
