package db

import "time"

// SetCheckpoints changes the checkpointer's tick and log limit for a test (before Open).
func SetCheckpoints(every time.Duration, limit int64) (restore func()) {
	e, l := checkpointEvery, walLimit
	checkpointEvery, walLimit = every, limit
	return func() { checkpointEvery, walLimit = e, l }
}
