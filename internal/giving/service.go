package giving

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
	"solidarity/internal/notify"
	"solidarity/internal/people"
)

// Mailer queues an e-mail inside the caller's transaction, so that it leaves only if the
// change that caused it commits. (*notify.Service) satisfies it.
type Mailer interface {
	Email(ctx context.Context, tx *db.Tx, m notify.Email) (int64, error)
}

// Config is what an operator's settings decide for giving.
type Config struct {
	// BaseURL is the public address; Checkout return links, receipt and manage links start
	// with it. Empty means http://localhost:8080.
	BaseURL string
	// StripeSecretKey is the API key (sk_…); empty means card giving is off and the pages
	// say so (offline gifts still work).
	StripeSecretKey string
	// StripeWebhookSecret (whsec_…) verifies the signature of /webhooks/stripe.
	StripeWebhookSecret string
	// StripeAPIBase replaces https://api.stripe.com (tests: stripe-mock).
	StripeAPIBase string
}

// Deps are the services giving calls. DB, Jobs, Mail, Catalog and People are required.
type Deps struct {
	DB      *db.DB
	Jobs    *jobs.Queue
	Mail    Mailer
	Catalog *i18n.Catalog
	People  *people.Service
	Log     *slog.Logger
}

// Service runs every giving use case. It is safe for concurrent use.
type Service struct {
	db      *db.DB
	jobs    *jobs.Queue
	mail    Mailer
	catalog *i18n.Catalog
	people  *people.Service
	log     *slog.Logger
	base    *url.URL
	cfg     Config
	events  eventQueue // Stripe deliveries waiting to be written together (webhook_batch.go)
}

// New builds the service and registers its jobs on deps.Jobs, which must not be built yet.
func New(cfg Config, deps Deps) (*Service, error) {
	switch {
	case deps.DB == nil:
		return nil, errors.New("giving: no database")
	case deps.Jobs == nil:
		return nil, errors.New("giving: no job queue")
	case deps.Mail == nil:
		return nil, errors.New("giving: no mailer")
	case deps.Catalog == nil:
		return nil, errors.New("giving: no message catalog")
	case deps.People == nil:
		return nil, errors.New("giving: no people service")
	}
	if deps.Log == nil {
		deps.Log = slog.Default()
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://localhost:8080"
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Hostname() == "" {
		return nil, fmt.Errorf("giving: base URL %q is not an http(s) address", cfg.BaseURL)
	}
	s := &Service{db: deps.DB, jobs: deps.Jobs, mail: deps.Mail, catalog: deps.Catalog, people: deps.People,
		log: deps.Log, base: base, cfg: cfg}
	s.registerCardJobs(deps.Jobs) // webhook retries and the checkout sweep (webhook_retry.go)
	deps.People.OnMerge(s.mergeDonors)
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
		return fmt.Errorf("giving: audit %s: %w", action, err)
	}
	return nil
}

// coded makes err a coded error (errs.Coded).
func coded(err error) error { return errs.Coded(err) }

// link returns an absolute address under the base URL.
func (s *Service) link(path string) string { return s.base.String() + path }
