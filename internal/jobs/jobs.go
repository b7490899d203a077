// Package jobs runs Solidarity's durable background work on River, over SQLite or
// PostgreSQL: modules register workers and periodic jobs at start-up and enqueue jobs
// inside their own transactions, so a job exists exactly when the change that asked for
// it was committed. Jobs survive restarts and retry with backoff.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"solidarity/internal/db"
)

// Args is what a job carries; its Kind names the worker.
type Args = river.JobArgs

// Job is a job being worked.
type Job[T Args] = river.Job[T]

// Worker works one kind of job.
type Worker[T Args] = river.Worker[T]

// WorkerDefaults gives a worker the default timeout and retry policy.
type WorkerDefaults[T Args] = river.WorkerDefaults[T]

// InsertOpts tunes one enqueue (schedule, uniqueness, attempts).
type InsertOpts = river.InsertOpts

// Queue is the job queue of one app node.
type Queue struct {
	db       *db.DB
	log      *slog.Logger
	driver   riverdriver.Driver[*sql.Tx]
	workers  *river.Workers
	periodic []*river.PeriodicJob
	client   *river.Client[*sql.Tx]
	observer func(kind string, ok bool)
	kinds    int
	// PollInterval is how often an idle node looks for new jobs; jobs enqueued on this node
	// are picked up at once.
	PollInterval time.Duration
}

// New prepares a queue on the database; register workers, then call Build.
func New(d *db.DB, log *slog.Logger) *Queue {
	var driver riverdriver.Driver[*sql.Tx]
	if d.Dialect() == db.Postgres {
		driver = riverdatabasesql.New(d.WritePool())
	} else {
		// River shares the single SQLite write connection, which also lets a job be
		// enqueued inside the module's own transaction.
		driver = riversqlite.New(d.WritePool())
	}
	return &Queue{db: d, log: log, driver: driver, workers: river.NewWorkers(), PollInterval: 250 * time.Millisecond}
}

// Register adds the worker for one kind of job. Call before Build.
func Register[T Args](q *Queue, w Worker[T]) {
	river.AddWorker(q.workers, w)
	q.kinds++
}

// Every runs a job of args every interval on one node of the cluster. Call before Build.
func (q *Queue) Every(interval time.Duration, args Args) {
	q.periodic = append(q.periodic, river.NewPeriodicJob(
		river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return args, nil },
		&river.PeriodicJobOpts{RunOnStart: true, ID: args.Kind()},
	))
}

// Observe sets a function told of every finished job (for metrics).
func (q *Queue) Observe(fn func(kind string, ok bool)) { q.observer = fn }

// Migrate creates or updates River's own tables.
func (q *Queue) Migrate(ctx context.Context) error {
	m, err := rivermigrate.New(q.driver, &rivermigrate.Config{Logger: quiet(q.log)})
	if err != nil {
		return fmt.Errorf("jobs: migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}

// Build creates the client once every worker is registered. Jobs can be enqueued from
// then on; they are worked after Start.
func (q *Queue) Build() error {
	workers := q.workers
	if q.kinds == 0 {
		workers = nil // River refuses an empty bundle; with no workers the client only inserts
	}
	cfg := &river.Config{
		Logger:            quiet(q.log),
		Workers:           workers,
		PeriodicJobs:      q.periodic,
		FetchPollInterval: q.PollInterval,
		FetchCooldown:     20 * time.Millisecond,
		JobTimeout:        5 * time.Minute,
		MaxAttempts:       12,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 20}},
	}
	if q.db.Dialect() == db.SQLite {
		cfg.Queues[river.QueueDefault] = river.QueueConfig{MaxWorkers: 8}
	}
	if workers == nil {
		cfg.Queues, cfg.PeriodicJobs = nil, nil
	}
	client, err := river.NewClient(q.driver, cfg)
	if err != nil {
		return fmt.Errorf("jobs: client: %w", err)
	}
	q.client = client
	return nil
}

// Enqueue adds a job inside tx; it exists only if tx commits.
func (q *Queue) Enqueue(ctx context.Context, tx *db.Tx, args Args, opts *InsertOpts) error {
	if q.client == nil {
		return errors.New("jobs: enqueue before Build")
	}
	if _, err := q.client.InsertTx(ctx, tx.SQL(), args, opts); err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// Start begins working jobs until Stop.
func (q *Queue) Start(ctx context.Context) error {
	if q.client == nil {
		return errors.New("jobs: start before Build")
	}
	if q.kinds == 0 {
		return nil
	}
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	if q.observer != nil {
		events, cancel := q.client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
		go func() {
			defer cancel()
			for {
				select {
				case e, ok := <-events:
					if !ok {
						return
					}
					q.observer(e.Job.Kind, e.Kind == river.EventKindJobCompleted)
				case <-q.client.Stopped():
					return
				}
			}
		}()
	}
	return nil
}

// Stop lets running jobs finish (until ctx ends, then cancels them) and stops fetching.
func (q *Queue) Stop(ctx context.Context) error {
	if q.client == nil || q.kinds == 0 {
		return nil
	}
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return q.client.StopAndCancel(cctx)
	}
	return err
}

// quiet keeps River's routine info logs out of the operator's log.
func quiet(log *slog.Logger) *slog.Logger {
	return slog.New(levelFloor{log.Handler(), slog.LevelWarn})
}

type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (l levelFloor) Enabled(ctx context.Context, lvl slog.Level) bool {
	return lvl >= l.min && l.Handler.Enabled(ctx, lvl)
}
func (l levelFloor) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFloor{l.Handler.WithAttrs(a), l.min}
}
func (l levelFloor) WithGroup(n string) slog.Handler {
	return levelFloor{l.Handler.WithGroup(n), l.min}
}
