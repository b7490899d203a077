// Package web is Solidarity's HTML interface: every route in routes.go, the middleware
// chain (security headers, cross-origin protection, body limits, locale, session, logs and
// metrics), one handler file per action, and the embedded templates and static files.
// Handlers parse input, call one service method and render; business rules live in the
// services.
package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"

	"github.com/prometheus/client_golang/prometheus"

	"solidarity/internal/auth"
	"solidarity/internal/config"
	"solidarity/internal/db"
	"solidarity/internal/giving"
	"solidarity/internal/i18n"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/ratelimit"
	"solidarity/internal/response"
	"solidarity/internal/retention"
	"solidarity/internal/vault"
)

// Deps are the services the web interface calls.
type Deps struct {
	Config   *config.Config
	Log      *slog.Logger
	DB       *db.DB
	Catalog  *i18n.Catalog
	Registry *prometheus.Registry

	Auth      *auth.Service
	Vault     *vault.Vault
	Notify    *notify.Service
	Limiter   *ratelimit.Limiter
	Retention *retention.Service
	People    *people.Service
	Giving    *giving.Service
	Response  *response.Service
	// API serves /api/ (the JSON API, with its own key authentication).
	API http.Handler
}

// Server serves the HTML interface.
type Server struct {
	Deps
	pages   map[string]*template.Template
	static  *staticFiles
	metrics *httpMetrics
	handler http.Handler
	proxies []netip.Prefix
}

// New builds the server: templates parsed, routes registered, middleware wrapped.
func New(deps Deps) (*Server, error) {
	s := &Server{Deps: deps}
	var err error
	if s.proxies, err = deps.Config.Proxies(); err != nil {
		return nil, err
	}
	static, err := loadStatic()
	if err != nil {
		return nil, err
	}
	s.static = static
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.metrics = newHTTPMetrics(deps.Registry)
	mux := http.NewServeMux()
	s.routes(mux)
	s.handler = s.middleware(mux)
	return s, nil
}

// ServeHTTP serves a request through the whole middleware chain.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }
