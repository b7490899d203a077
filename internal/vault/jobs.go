package vault

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/jobs"
)

// ReencryptArgs is the job that moves every registered column to the current field key
// and then retires the old key versions.
type ReencryptArgs struct{}

// Kind names the job.
func (ReencryptArgs) Kind() string { return "vault.reencrypt" }

// reencryptWorker runs Reencrypt, then Retire, on whichever node picks the job up.
type reencryptWorker struct {
	jobs.WorkerDefaults[ReencryptArgs]
	v *Vault
}

// Timeout leaves room for large tables; the work is resumable, so a timeout only costs a
// retry.
func (w *reencryptWorker) Timeout(*jobs.Job[ReencryptArgs]) time.Duration { return 30 * time.Minute }

// Work re-encrypts until nothing is left, then retires what no column uses. While the
// vault is sealed on this node, or an old key is still inside its grace period, the job
// waits and comes back rather than failing.
func (w *reencryptWorker) Work(ctx context.Context, job *jobs.Job[ReencryptArgs]) error {
	done, err := w.v.Reencrypt(ctx, 500)
	if errors.Is(err, errs.ErrSealed) {
		return river.JobSnooze(time.Minute)
	}
	if err != nil {
		return err
	}
	retired, wait, err := w.v.Retire(ctx)
	if err != nil {
		return err
	}
	w.v.log.Info("vault re-encryption pass", "rewritten", done, "retired", len(retired))
	if wait > 0 {
		// Rows a lagging node wrote under the old key meanwhile get re-encrypted next pass.
		return river.JobSnooze(wait + time.Second)
	}
	return nil
}

// RegisterJobs registers the vault.reencrypt worker on q (before q.Build) and lets Rotate
// enqueue it.
func (v *Vault) RegisterJobs(q *jobs.Queue) {
	jobs.Register(q, &reencryptWorker{v: v})
	v.queue = q
}

// EnqueueReencrypt queues a vault.reencrypt job by itself, for an operator resuming an
// interrupted rotation; Rotate already enqueues one.
func (v *Vault) EnqueueReencrypt(ctx context.Context) error {
	if v.queue == nil {
		return errs.Internalf("vault: jobs not registered")
	}
	return v.db.InTx(ctx, func(tx *db.Tx) error {
		return v.queue.Enqueue(ctx, tx, ReencryptArgs{}, nil)
	})
}
