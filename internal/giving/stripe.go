package giving

import (
	"net/http"
	"time"

	"github.com/stripe/stripe-go/v82"

	"solidarity/internal/errs"
)

// stripeTimeout bounds one call to Stripe's API, so that a slow processor cannot hold a
// donor's request (or a staff refund) for long.
const stripeTimeout = 20 * time.Second

// CardGiving reports whether card gifts are possible: a Stripe secret key is configured.
// Without one the donation pages say so, and offline gifts still work.
func (s *Service) CardGiving() bool { return s.cfg.StripeSecretKey != "" }

// stripeClient returns a Stripe API client for the configured key, talking to
// cfg.StripeAPIBase when set (stripe-mock in tests). When card giving is not configured it
// returns errs.Conflict("giving.card.off"): the request is fine, the install is not set up
// for it. A client is cheap to build (no connection is opened until a call), so each use
// case builds its own.
func (s *Service) stripeClient() (*stripe.Client, error) {
	if s.cfg.StripeSecretKey == "" {
		return nil, errs.Conflict("giving.card.off")
	}
	cfg := &stripe.BackendConfig{
		HTTPClient:        stripeHTTP,
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
		MaxNetworkRetries: stripe.Int64(2),
	}
	if s.cfg.StripeAPIBase != "" {
		cfg.URL = stripe.String(s.cfg.StripeAPIBase)
	}
	return stripe.NewClient(s.cfg.StripeSecretKey, stripe.WithBackends(stripe.NewBackendsWithConfig(cfg))), nil
}

// stripeHTTP is shared by every client, so that connections to Stripe are reused.
var stripeHTTP = &http.Client{Timeout: stripeTimeout}
