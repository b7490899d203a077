package db

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sync"
	"time"
)

// checkpointEvery is how often the checkpointer copies new log into the database file.
var checkpointEvery = 250 * time.Millisecond

// walLimit bounds the write-ahead log file. The log starts again from its beginning only
// when a checkpoint has copied all of it before the next write begins, which a checkpoint
// beside a busy writer (an import) seldom manages: past this size the checkpointer holds
// new writes back until it has copied the rest, so that the log starts again, and the
// writer's journal_size_limit (walKeep) then cuts the file back. Holding writes back costs
// the import whatever the checkpointer has not copied yet (at 512 MiB, a sixth of an
// import's time at a million people), so the bound is set where only imports of several
// hundred thousand rows reach it.
var walLimit int64 = 2 << 30

// walKeep is the size the log file is cut back to when it starts again.
var walKeep int64 = 64 << 20

// startCheckpoints starts the checkpointer: a connection of its own that copies SQLite's
// write-ahead log into the database file while writers go on. By default SQLite does this
// copy inside the commit that crosses 1,000 pages of log, and the request or import batch
// that made that commit waits for it (at a million people, a third of an import's time);
// a PASSIVE checkpoint from another connection blocks no writer and no reader. Close stops
// it after a last checkpoint that empties the log.
func (d *DB) startCheckpoints(ctx context.Context, dsn string) error {
	cp, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("db: open checkpointer: %w", err)
	}
	cp.SetMaxOpenConns(1)
	if err := cp.PingContext(ctx); err != nil {
		cp.Close()
		return fmt.Errorf("db: open checkpointer: %w", err)
	}
	wal := d.path + "-wal"
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				mode := "PASSIVE"
				if fi, err := os.Stat(wal); err == nil && fi.Size() > walLimit {
					mode = "RESTART"
				}
				// A busy answer (a writer or another checkpoint in the way) is tried again
				// at the next tick.
				_, _ = cp.ExecContext(context.Background(), "PRAGMA wal_checkpoint("+mode+")")
			}
		}
	}()
	var once sync.Once
	d.stopCheckpoints = func() {
		once.Do(func() { // Close may be called more than once
			close(stop)
			<-done
			// Leave the database file whole and the log empty for whoever opens it next.
			_, _ = cp.ExecContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)")
			cp.Close()
		})
	}
	return nil
}
