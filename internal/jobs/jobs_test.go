package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/jobs"
	"solidarity/internal/testkit"
)

type pingArgs struct {
	N int `json:"n"`
}

func (pingArgs) Kind() string { return "test.ping" }

type pingWorker struct {
	jobs.WorkerDefaults[pingArgs]
	sum   *atomic.Int64
	tries *atomic.Int64 // attempts at the failing job
}

func (w *pingWorker) Work(ctx context.Context, j *jobs.Job[pingArgs]) error {
	if j.Args.N < 0 && w.tries.Add(1) == 1 {
		return errors.New("first attempt fails")
	}
	w.sum.Add(int64(j.Args.N))
	return nil
}

// A job exists exactly when the transaction that enqueued it commits, is worked, and is
// retried after a failure (River's first retry comes after about a second).
func TestEnqueueInTransaction(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var sum, tries atomic.Int64
		q := jobs.New(d, testkit.Logger())
		q.PollInterval = 50 * time.Millisecond
		jobs.Register(q, &pingWorker{sum: &sum, tries: &tries})
		if err := q.Build(); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("rolled back")
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := q.Enqueue(ctx, tx, pingArgs{N: 1000}, nil); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		err = d.InTx(ctx, func(tx *db.Tx) error {
			if err := q.Enqueue(ctx, tx, pingArgs{N: 2}, nil); err != nil {
				return err
			}
			if err := q.Enqueue(ctx, tx, pingArgs{N: -1}, nil); err != nil { // fails once, then works
				return err
			}
			return q.Enqueue(ctx, tx, pingArgs{N: 3}, &jobs.InsertOpts{MaxAttempts: 3})
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(context.Background()) //nolint:errcheck
		deadline := time.Now().Add(20 * time.Second)
		for sum.Load() != 4 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if got := sum.Load(); got != 4 || tries.Load() != 2 {
			t.Fatalf("worked sum = %d, failing job tried %d times; want 4 and 2: the failed job is retried once, the rolled-back job never runs", got, tries.Load())
		}
	})
}

func TestEnqueueBeforeBuild(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	q := jobs.New(d, testkit.Logger())
	err := d.InTx(context.Background(), func(tx *db.Tx) error {
		return q.Enqueue(context.Background(), tx, pingArgs{N: 1}, nil)
	})
	if err == nil {
		t.Fatal("enqueue before Build should fail")
	}
}
