package web

import "net/http"

// routes registers every route of the web interface, in one place.
func (s *Server) routes(mux *http.ServeMux) {
	// Probes and metrics.
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.metricsHandler())

	// Static files, versioned by content hash so they can be cached for a year.
	mux.Handle("GET /static/", s.static)

	// Public pages.
	mux.HandleFunc("GET /{$}", s.home)

	// Everything else is a translated 404.
	mux.HandleFunc("/", s.notFound)
}
