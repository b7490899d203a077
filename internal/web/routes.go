package web

import "net/http"

// route is one entry of the route table: its pattern, who may reach it, and its handler.
type route struct {
	pattern string
	access  Access
	handler http.HandlerFunc
}

// routeTable lists every route of the web interface, in one place. The access column is
// checked by the guard and tested against the permission table for every role.
func (s *Server) routeTable() []route {
	var rts []route
	rts = append(rts, s.signinRoutes()...)
	rts = append(rts, s.adminRoutes()...)
	rts = append(rts, s.peopleRoutes()...)
	rts = append(rts, s.givingPublicRoutes()...)
	rts = append(rts, s.givingStaffRoutes()...)
	rts = append(rts, s.responseIntakeRoutes()...)
	rts = append(rts, s.responseDispatchRoutes()...)
	rts = append(rts, s.responseAlertRoutes()...)
	rts = append(rts, s.publicRoutes()...)
	return append(rts, []route{
		// Probes and metrics.
		{"GET /healthz", Public, s.healthz},
		{"GET /readyz", Public, s.readyz},
		{"GET /metrics", Public, s.metricsHandler().ServeHTTP},
		// Static files, versioned by content hash so they can be cached for a year.
		{"GET /static/", Public, s.static.ServeHTTP},

		// Public pages.
		{"GET /{$}", Public, s.home},

		// The JSON API authenticates with its own keys and checks its own route table.
		{"/api/", Public, s.api},

		// Everything else is a translated 404.
		{"/", Public, s.notFound},
	}...)
}

// routes registers the route table on mux, each handler behind its guard.
func (s *Server) routes(mux *http.ServeMux) {
	for _, rt := range s.routeTable() {
		mux.HandleFunc(rt.pattern, s.guard(rt.access, rt.handler))
	}
}

// RouteAccess describes one route for the role-matrix test: its pattern and who may reach
// it (Public, SignedIn, or a permission).
type RouteAccess struct {
	Pattern string
	Access  Access
}

// Routes lists every route with its access, from the same table the server registers.
func (s *Server) Routes() []RouteAccess {
	var out []RouteAccess
	for _, rt := range s.routeTable() {
		out = append(out, RouteAccess{Pattern: rt.pattern, Access: rt.access})
	}
	return out
}
