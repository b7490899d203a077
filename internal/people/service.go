package people

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"solidarity/internal/audit"
	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/i18n"
	"solidarity/internal/jobs"
	"solidarity/internal/notify"
)

// Mailer queues an e-mail inside the caller's transaction, so that it leaves only if the
// change that caused it commits. (*notify.Service) satisfies it.
type Mailer interface {
	Email(ctx context.Context, tx *db.Tx, m notify.Email) (int64, error)
}

// MergeHook moves another module's rows from the person being merged away (lose) to the
// one kept (keep), inside the merge's transaction. Modules that point at people (giving,
// campaigns…) register one with OnMerge.
type MergeHook func(ctx context.Context, tx *db.Tx, keep, lose int64) error

// Config is what an operator's settings decide for the CRM.
type Config struct {
	// BaseURL is the public address; confirmation and sign-in links start with it. Empty
	// means http://localhost:8080.
	BaseURL string
	// DefaultRegion is the ISO country whose phone numbers may be written without a
	// country code; empty means "US".
	DefaultRegion string
	// Grace is how long an expired membership stays in grace before it lapses; zero means
	// 30 days.
	Grace time.Duration
	// ReminderLead is how long before expiry a member is reminded; zero means 14 days.
	ReminderLead time.Duration
	// SweepEvery runs the membership sweep periodically on one node; zero registers no
	// periodic sweep (tests call Sweep directly).
	SweepEvery time.Duration
	// MaxImportBytes caps an uploaded CSV; zero means 50 MiB.
	MaxImportBytes int64
	// ImportBatch is how many rows one import transaction holds; zero means 10,000.
	ImportBatch int
}

// Deps are the services the CRM calls. DB, Jobs, Mail and Catalog are required.
type Deps struct {
	DB      *db.DB
	Jobs    *jobs.Queue
	Mail    Mailer
	Catalog *i18n.Catalog
	Log     *slog.Logger
}

// Service runs every CRM use case. It is safe for concurrent use.
type Service struct {
	db      *db.DB
	jobs    *jobs.Queue
	mail    Mailer
	catalog *i18n.Catalog
	log     *slog.Logger
	base    *url.URL
	cfg     Config
	hooks   []MergeHook
}

// New builds the service and registers its jobs (the import worker and, when
// cfg.SweepEvery is set, the periodic membership sweep) on deps.Jobs, which must not be
// built yet.
func New(cfg Config, deps Deps) (*Service, error) {
	switch {
	case deps.DB == nil:
		return nil, errors.New("people: no database")
	case deps.Jobs == nil:
		return nil, errors.New("people: no job queue")
	case deps.Mail == nil:
		return nil, errors.New("people: no mailer")
	case deps.Catalog == nil:
		return nil, errors.New("people: no message catalog")
	}
	if deps.Log == nil {
		deps.Log = slog.Default()
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://localhost:8080"
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Hostname() == "" {
		return nil, fmt.Errorf("people: base URL %q is not an http(s) address", cfg.BaseURL)
	}
	if cfg.DefaultRegion == "" {
		cfg.DefaultRegion = "US"
	}
	if cfg.Grace <= 0 {
		cfg.Grace = 30 * 24 * time.Hour
	}
	if cfg.ReminderLead <= 0 {
		cfg.ReminderLead = 14 * 24 * time.Hour
	}
	if cfg.MaxImportBytes <= 0 {
		cfg.MaxImportBytes = DefaultMaxImportBytes
	}
	if cfg.ImportBatch <= 0 {
		cfg.ImportBatch = 10000
	}
	s := &Service{db: deps.DB, jobs: deps.Jobs, mail: deps.Mail, catalog: deps.Catalog, log: deps.Log, base: base, cfg: cfg}
	jobs.Register(deps.Jobs, &importWorker{s: s})
	jobs.Register(deps.Jobs, &sweepWorker{s: s})
	if cfg.SweepEvery > 0 {
		deps.Jobs.Every(cfg.SweepEvery, SweepArgs{})
	}
	return s, nil
}

// OnMerge registers a hook that moves another module's rows when two people are merged.
// Call at start-up, before serving.
func (s *Service) OnMerge(h MergeHook) { s.hooks = append(s.hooks, h) }

// inTx runs fn in a write transaction and returns its failure as a coded error.
func (s *Service) inTx(ctx context.Context, fn func(*db.Tx) error) error {
	return coded(s.db.InTx(ctx, fn))
}

// inBulkTx runs fn in a bulk-load transaction (db.InBulkTx): an import batch, which reads
// every row it references in the same transaction.
func (s *Service) inBulkTx(ctx context.Context, fn func(*db.Tx) error) error {
	return coded(s.db.InBulkTx(ctx, fn))
}

// record writes an audit entry for actor.
func record(ctx context.Context, tx *db.Tx, actor auth.Actor, action, object, detail string) error {
	if err := audit.Record(ctx, tx, audit.Entry{
		Actor: actor.Label(), ActorName: actor.Name, Action: action, Object: object, Detail: detail,
	}); err != nil {
		return fmt.Errorf("people: audit %s: %w", action, err)
	}
	return nil
}

// coded makes err a coded error (errs.Coded).
func coded(err error) error { return errs.Coded(err) }

// personObject is how audit entries name a person.
func personObject(id int64) string { return fmt.Sprintf("person:%d", id) }

// link returns an absolute address under the base URL.
func (s *Service) link(path string) string { return s.base.String() + path }
