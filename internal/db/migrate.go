package db

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
)

//go:embed migrations
var migrations embed.FS

// advisoryKey serializes migrations when several app nodes start at once on PostgreSQL.
const advisoryKey = 7_402_211_901

// MigrationFS returns the embedded migrations of the dialect.
func (d Dialect) MigrationFS() fs.FS {
	sub, err := fs.Sub(migrations, "migrations/"+string(d))
	if err != nil {
		panic(err) // the folder is embedded at build time
	}
	return sub
}

func (d *DB) provider() (*goose.Provider, error) {
	dialect := goose.DialectSQLite3
	if d.dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	return goose.NewProvider(dialect, d.write, d.dialect.MigrationFS(), goose.WithDisableGlobalRegistry(true))
}

// Migrate brings the schema up to date. On PostgreSQL it holds an advisory lock so that
// nodes starting together migrate one after another. extra runs under the same lock, for
// the job queue's own migrations.
func (d *DB) Migrate(ctx context.Context, log *slog.Logger, extra func(context.Context) error) error {
	if d.dialect == Postgres {
		conn, err := d.write.Conn(ctx)
		if err != nil {
			return fmt.Errorf("db: migrate: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", advisoryKey); err != nil {
			return fmt.Errorf("db: migrate lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", advisoryKey) //nolint:errcheck
	}
	p, err := d.provider()
	if err != nil {
		return fmt.Errorf("db: migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("db: migrate: %w", err)
	}
	for _, r := range results {
		log.Info("migrated", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
	}
	if extra != nil {
		if err := extra(ctx); err != nil {
			return fmt.Errorf("db: migrate jobs: %w", err)
		}
	}
	return nil
}

// Migrated reports whether the database answers and its schema is at the version this
// binary expects.
func (d *DB) Migrated(ctx context.Context) error {
	p, err := d.provider()
	if err != nil {
		return err
	}
	sources := p.ListSources()
	want := sources[len(sources)-1].Version
	var have sql.NullInt64
	if err := d.read.QueryRowContext(ctx, "SELECT MAX(version_id) FROM goose_db_version WHERE is_applied").Scan(&have); err != nil {
		return fmt.Errorf("db: schema version: %w", err)
	}
	if have.Int64 < want {
		return fmt.Errorf("db: schema at version %d, binary needs %d", have.Int64, want)
	}
	return nil
}
