package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"solidarity/internal/config"
	"solidarity/internal/db"
)

// backup writes a consistent copy of the embedded database: solidarity backup --to FILE.
func backup(args []string) error {
	fs := flag.NewFlagSet("solidarity backup", flag.ContinueOnError)
	to := fs.String("to", "", "file to write the copy to (must not exist)")
	cfg, err := config.Load(fs, args, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return errUsage
	}
	if err != nil {
		return err
	}
	if *to == "" {
		return errors.New("backup: --to FILE is required")
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return errors.New("backup: on PostgreSQL use pg_dump (see docs/operations.md)")
	}
	ctx := context.Background()
	d, err := db.Open(ctx, db.Options{Dir: cfg.DataDir})
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Backup(ctx, *to); err != nil {
		return err
	}
	fmt.Println("backup written to", *to)
	return nil
}
