package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"solidarity/internal/app"
	"solidarity/internal/config"
	"solidarity/internal/db"
	"solidarity/internal/jobs"
)

var errUsage = errors.New("usage")

// loadConfig parses a subcommand's flags over the environment.
func loadConfig(name string, args []string) (config.Config, error) {
	fs := flag.NewFlagSet("solidarity "+name, flag.ContinueOnError)
	cfg, err := config.Load(fs, args, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return cfg, errUsage
	}
	if err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return cfg, cfg.Validate()
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

func serve(args []string) error {
	cfg, err := loadConfig("serve", args)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	addr, err := a.Listen()
	if err != nil {
		return err
	}
	where := "embedded SQLite in " + cfg.DataDir
	if cfg.DatabaseURL != "" {
		where = "PostgreSQL"
	}
	log.Info("listening", "addr", addr.String(), "database", where, "demo", cfg.Demo)
	fmt.Fprintf(os.Stderr, "Solidarity is running at http://%s (%s). Press Ctrl-C to stop.\n", addr, where)
	return a.Run(ctx)
}

func migrate(args []string) error {
	cfg, err := loadConfig("migrate", args)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel)
	ctx := context.Background()
	d, err := db.Open(ctx, db.Options{URL: cfg.DatabaseURL, Dir: cfg.DataDir})
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx, log, jobs.New(d, log).Migrate); err != nil {
		return err
	}
	fmt.Println("database is up to date")
	return nil
}

// version is the module version and VCS revision the binary was built from.
func version() string {
	v := "solidarity (devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			v += " " + rev
			if dirty {
				v += "+dirty"
			}
		}
		v += " " + bi.GoVersion
	}
	return v
}
