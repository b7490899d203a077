package people

// TuneForBulk gives the import's SQLite settings to a benchmark that measures against it.
var TuneForBulk = tuneForBulk
