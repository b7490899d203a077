package db

import "time"

// SetCheckpoints changes the checkpointer's tick, log limit and the size the log is cut
// back to, for a test (before Open).
func SetCheckpoints(every time.Duration, limit, keep int64) (restore func()) {
	e, l, k := checkpointEvery, walLimit, walKeep
	checkpointEvery, walLimit, walKeep = every, limit, keep
	return func() { checkpointEvery, walLimit, walKeep = e, l, k }
}
