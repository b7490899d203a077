package response

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"solidarity/internal/audit"
	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/i18n"
	"solidarity/internal/jobs"
	"solidarity/internal/live"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/retention"
	"solidarity/internal/vault"
)

// Config is what an operator's settings decide for rapid response.
type Config struct {
	// BaseURL is the public address; responders' one-tap links and subscribers' leave links
	// start with it, and inbound SMS signatures are checked over it. Empty means
	// http://localhost:8080.
	BaseURL string
	// SMSRate is how many alert messages per second are handed to the SMS provider; zero
	// means no limit of our own.
	SMSRate float64
	// SMSToken is the SMS provider's auth token (SOLIDARITY_SMS_TOKEN), which signs inbound
	// messages; empty refuses every inbound message (fail closed).
	SMSToken string
}

// Deps are the services rapid response calls. All but Log are required.
type Deps struct {
	DB        *db.DB
	Jobs      *jobs.Queue
	Notify    *notify.Service
	Vault     *vault.Vault
	Retention *retention.Service
	Catalog   *i18n.Catalog
	People    *people.Service
	Log       *slog.Logger
}

// Service runs every rapid response use case. It is safe for concurrent use.
type Service struct {
	db        *db.DB
	jobs      *jobs.Queue
	notify    *notify.Service
	vault     *vault.Vault
	retention *retention.Service
	catalog   *i18n.Catalog
	people    *people.Service
	log       *slog.Logger
	base      *url.URL
	cfg       Config
	// live carries board changes to open boards on every node (intake.go).
	live *live.Feed
}

// New builds the service, registers its jobs on deps.Jobs (which must not be built yet),
// its encrypted fields on the vault and its retention policies.
func New(cfg Config, deps Deps) (*Service, error) {
	switch {
	case deps.DB == nil:
		return nil, errors.New("response: no database")
	case deps.Jobs == nil:
		return nil, errors.New("response: no job queue")
	case deps.Notify == nil:
		return nil, errors.New("response: no notify service")
	case deps.Vault == nil:
		return nil, errors.New("response: no vault")
	case deps.Retention == nil:
		return nil, errors.New("response: no retention service")
	case deps.Catalog == nil:
		return nil, errors.New("response: no message catalog")
	case deps.People == nil:
		return nil, errors.New("response: no people service")
	}
	if deps.Log == nil {
		deps.Log = slog.Default()
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://localhost:8080"
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Hostname() == "" {
		return nil, fmt.Errorf("response: base URL %q is not an http(s) address", cfg.BaseURL)
	}
	s := &Service{db: deps.DB, jobs: deps.Jobs, notify: deps.Notify, vault: deps.Vault, retention: deps.Retention,
		catalog: deps.Catalog, people: deps.People, log: deps.Log, base: base, cfg: cfg}
	s.openDispatch()
	s.openIntake()
	s.openAlerts()
	return s, nil
}

// inTx runs fn in a write transaction and returns its failure as a coded error.
func (s *Service) inTx(ctx context.Context, fn func(*db.Tx) error) error {
	return coded(s.db.InTx(ctx, fn))
}

// record writes an audit entry for actor.
func record(ctx context.Context, tx *db.Tx, actor auth.Actor, action, object, detail string) error {
	if err := audit.Record(ctx, tx, audit.Entry{
		Actor: actor.Label(), ActorName: actor.Name, Action: action, Object: object, Detail: detail,
	}); err != nil {
		return fmt.Errorf("response: audit %s: %w", action, err)
	}
	return nil
}

// coded makes err a coded error (errs.Coded).
func coded(err error) error { return errs.Coded(err) }

// link returns an absolute address under the base URL.
func (s *Service) link(path string) string { return s.base.String() + path }
