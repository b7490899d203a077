package web

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
	"solidarity/internal/i18n"
)

// maxBody caps request bodies; routes that take uploads raise it for themselves.
const maxBody = 1 << 20

// contentSecurityPolicy allows only this site's own scripts, styles and images: no inline
// script, no third parties, no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; manifest-src 'self'"

// allowFormTargets widens form-action, for the page being answered only, to origins
// besides this site: a donation form's POST is answered with a redirect to Stripe Checkout
// (or the manage page's to Stripe's billing portal), and Chrome applies the form-action of
// the page that sent the form to every hop of the redirect. Call before writing the
// response; everything else about the policy stays the same.
func allowFormTargets(w http.ResponseWriter, origins ...string) {
	w.Header().Set("Content-Security-Policy", strings.Replace(contentSecurityPolicy,
		"form-action 'self'", "form-action 'self' "+strings.Join(origins, " "), 1))
}

// state is what the middleware learns about a request, shared by pointer through its
// context so that inner layers can fill it in for outer ones.
type state struct {
	lang    string
	loc     *i18n.Localizer
	pattern string
	actor   auth.Actor
	pending string // a sign-in step the session still needs (auth.KeySession…)
	client  string // the client's address, for rate limits only
}

// clientKey returns the client's address for rate limits (see clientAddress).
func clientKey(r *http.Request) string { return stateOf(r).client }

type stateKey struct{}

func stateOf(r *http.Request) *state {
	if st, ok := r.Context().Value(stateKey{}).(*state); ok {
		return st
	}
	return &state{lang: "en"}
}

// middleware wraps the routes, outermost first: observe (recover, log, metrics), security
// headers, body limit, locale, cross-origin protection.
func (s *Server) middleware(mux *http.ServeMux) http.Handler {
	routed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		stateOf(r).pattern = r.Pattern // ServeMux sets Pattern on the request it routes
	})
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "error.cross_origin")
	}))
	var h http.Handler = cop.Handler(routed)
	h = s.session(h)
	h = s.locale(h)
	h = limitBody(h)
	h = s.securityHeaders(h)
	return s.observe(h)
}

// observe recovers panics, logs each request (route pattern, status, duration; never the
// path, query, form values or client address) and records metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		st := &state{lang: "en", loc: s.Catalog.Localizer("en"), client: s.clientAddress(r)}
		r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.Log.Error("panic", "route", st.pattern, "method", r.Method, "panic", fmt.Sprint(p))
				if !rec.wrote {
					s.renderError(rec, r, http.StatusInternalServerError, "error.internal")
				}
			}
			took := time.Since(start)
			route := st.pattern
			if route == "" {
				route = "unmatched"
			}
			s.metrics.observe(route, r.Method, rec.status, took)
			if route != "GET /healthz" && route != "GET /readyz" && route != "GET /metrics" {
				s.Log.Info("request", "route", route, "method", r.Method, "status", rec.status, "ms", took.Milliseconds())
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	secure := s.Config.Secure()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), payment=(), usb=(), interest-cohort=()")
		h.Set("Cache-Control", "no-store")
		if secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// uploadPath is the one route that takes a large body (a CSV import); its handler caps
// the body itself, at the people service's import limit.
const uploadPath = "/imports"

// limitBody caps every request body at maxBody, except an upload to uploadPath.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && !(r.Method == http.MethodPost && r.URL.Path == uploadPath) {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		next.ServeHTTP(w, r)
	})
}

// locale picks the language: ?lang= (remembered in a cookie), then the cookie, then
// Accept-Language.
func (s *Server) locale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var explicit []string
		if q := r.URL.Query().Get("lang"); s.Catalog.Supported(q) {
			explicit = append(explicit, q)
			http.SetCookie(w, &http.Cookie{Name: "lang", Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: s.Config.Secure(), SameSite: http.SameSiteLaxMode})
		}
		if c, err := r.Cookie("lang"); err == nil {
			explicit = append(explicit, c.Value)
		}
		st := stateOf(r)
		st.lang = s.Catalog.Negotiate(explicit, r.Header.Get("Accept-Language"))
		st.loc = s.Catalog.Localizer(st.lang)
		w.Header().Set("Content-Language", st.lang)
		w.Header().Add("Vary", "Accept-Language, Cookie")
		next.ServeHTTP(w, r)
	})
}

// recorder remembers the status written, and passes flushes through (for live updates).
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// statusOf maps an error code to its HTTP status (the mapping lives in errs, shared with
// the API).
func statusOf(c errs.Code) int { return c.HTTPStatus() }

// clientKey identifies the client for rate limits: its address, or, behind a trusted
// reverse proxy, the nearest address in X-Forwarded-For that is not itself a trusted proxy.
// The address is only ever handed to the limiter, which stores a keyed hash of it; it is
// never logged or stored raw.
func (s *Server) clientAddress(r *http.Request) string {
	addr, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	ip := addr.Addr().Unmap()
	if !s.trusted(ip) {
		return ip.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		hop = hop.Unmap()
		if !s.trusted(hop) {
			return hop.String()
		}
		ip = hop
	}
	return ip.String()
}

func (s *Server) trusted(ip netip.Addr) bool {
	for _, p := range s.proxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
