// Package app is Solidarity's composition root: Open wires the database, job queue,
// services and web interface from a Config; Run serves until its context ends and then
// drains; Close releases everything. The command and the end-to-end tests both start the
// system through it.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"solidarity/internal/api"
	"solidarity/internal/auth"
	"solidarity/internal/config"
	"solidarity/internal/db"
	"solidarity/internal/demo"
	"solidarity/internal/giving"
	"solidarity/internal/i18n"
	"solidarity/internal/jobs"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/ratelimit"
	"solidarity/internal/response"
	"solidarity/internal/retention"
	"solidarity/internal/vault"
	"solidarity/internal/web"
)

// App is one running node of Solidarity.
type App struct {
	Config    config.Config
	Log       *slog.Logger
	DB        *db.DB
	Jobs      *jobs.Queue
	Catalog   *i18n.Catalog
	Registry  *prometheus.Registry
	Vault     *vault.Vault
	Limiter   *ratelimit.Limiter
	Retention *retention.Service
	Notify    *notify.Service
	Auth      *auth.Service
	People    *people.Service
	Giving    *giving.Service
	Response  *response.Service
	API       *api.Server
	Web       *web.Server

	listener net.Listener
}

// Open builds a node from cfg: opens and migrates the database, registers every module's
// jobs, and builds the web interface. It does not listen or work jobs yet; Run does.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Demo {
		// The demo is throwaway: its own database, made fresh at every start, because its
		// vault's key lives only in this process's memory.
		if cfg.DatabaseURL != "" {
			return nil, errors.New("app: --demo runs on the embedded database only; leave out --database")
		}
		cfg.DataDir = filepath.Join(cfg.DataDir, "demo")
		if err := os.RemoveAll(cfg.DataDir); err != nil {
			return nil, fmt.Errorf("app: reset demo data: %w", err)
		}
	}
	a := &App{Config: cfg, Log: log, Registry: prometheus.NewRegistry()}
	a.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	var err error
	if a.DB, err = db.Open(ctx, db.Options{URL: cfg.DatabaseURL, Dir: cfg.DataDir}); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			a.DB.Close()
		}
	}()
	a.Jobs = jobs.New(a.DB, log)
	if err := a.DB.Migrate(ctx, log, a.Jobs.Migrate); err != nil {
		return nil, err
	}
	if a.Catalog, err = i18n.Load(); err != nil {
		return nil, err
	}
	if err := a.openPlatform(ctx); err != nil {
		return nil, err
	}
	if err := a.openIdentity(); err != nil {
		return nil, err
	}
	if err := a.openModules(); err != nil {
		return nil, err
	}
	jobsDone := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "solidarity_jobs_total", Help: "Background jobs finished, by kind and result.",
	}, []string{"kind", "result"})
	a.Registry.MustRegister(jobsDone)
	a.Jobs.Observe(func(kind string, success bool) {
		result := "completed"
		if !success {
			result = "failed"
		}
		jobsDone.WithLabelValues(kind, result).Inc()
	})
	if err := a.Jobs.Build(); err != nil {
		return nil, err
	}
	if cfg.Demo {
		if err := demo.Load(ctx, demo.Deps{Auth: a.Auth, People: a.People, Giving: a.Giving, Response: a.Response, Notify: a.Notify}); err != nil {
			return nil, err
		}
	}
	a.API = api.New(api.Deps{Log: log, DB: a.DB, Auth: a.Auth, People: a.People, Giving: a.Giving, Response: a.Response, Catalog: a.Catalog, BaseURL: a.Config.BaseURL})
	a.Web, err = web.New(web.Deps{
		Config: &a.Config, Log: log, DB: a.DB, Catalog: a.Catalog, Registry: a.Registry,
		Auth: a.Auth, Vault: a.Vault, Notify: a.Notify, Limiter: a.Limiter, Retention: a.Retention,
		People: a.People, Giving: a.Giving, Response: a.Response, API: a.API,
	})
	if err != nil {
		return nil, err
	}
	ok = true
	return a, nil
}

// Handler is the node's whole HTTP interface.
func (a *App) Handler() http.Handler { return a.Web }

// Listen opens the listening socket (so that callers learn the address before Run).
func (a *App) Listen() (net.Addr, error) {
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return nil, fmt.Errorf("app: listen on %s: %w", a.Config.Addr, err)
	}
	a.listener = ln
	return ln.Addr(), nil
}

// Run works jobs and serves HTTP until ctx ends, then stops taking requests, lets in-flight
// requests and jobs finish (up to the shutdown timeout) and returns nil.
func (a *App) Run(ctx context.Context) error {
	if a.listener == nil {
		if _, err := a.Listen(); err != nil {
			return err
		}
	}
	if err := a.Jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	watchCtx, stopWatch := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWatch()
	go a.Vault.Watch(watchCtx, time.Second)
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      90 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(a.Response.StopLive) // live board streams end, so that Shutdown can drain
	served := make(chan error, 1)
	go func() { served <- srv.Serve(a.listener) }()
	select {
	case err := <-served:
		_ = a.Jobs.Stop(context.Background())
		return fmt.Errorf("app: serve: %w", err)
	case <-ctx.Done():
	}
	a.Log.Info("shutting down: draining requests and jobs")
	drain, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(drain)
	if e := <-served; e != nil && !errors.Is(e, http.ErrServerClosed) {
		err = errors.Join(err, e)
	}
	err = errors.Join(err, a.Jobs.Stop(drain))
	return err
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }
