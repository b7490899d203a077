package db

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of a SQLite database to path while the system runs
// (VACUUM INTO). Sensitive fields stay encrypted in the copy. PostgreSQL is backed up with
// its own tools (pg_dump), so Backup refuses it.
func (d *DB) Backup(ctx context.Context, path string) error {
	if d.dialect != SQLite {
		return errors.New("db: on PostgreSQL use pg_dump (see docs/operations.md)")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("db: backup: %s already exists", path)
	}
	if _, err := d.write.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("db: backup: %w", err)
	}
	return os.Chmod(path, 0o600)
}
