package db

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"solidarity/internal/errs"
)

// IsUnique reports whether err is a unique-constraint violation on either database.
func IsUnique(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	return false
}

// IsForeignKey reports whether err is a foreign-key violation on either database.
func IsForeignKey(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23503"
	}
	return false
}

// Translate turns a driver error into a coded error: no rows becomes notFoundKey, a unique
// violation becomes a conflict with conflictKey, anything else is internal.
func Translate(err error, notFoundKey, conflictKey string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return errs.NotFound(notFoundKey)
	case IsUnique(err) && conflictKey != "":
		return &errs.Error{Code: errs.CodeConflict, Key: conflictKey, Cause: err}
	case strings.Contains(err.Error(), "context canceled"):
		return err
	default:
		return errs.Internal(err)
	}
}
