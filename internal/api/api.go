// Package api is Solidarity's JSON API v1, shaped after OSDI where it fits: API-key
// authentication (Authorization: Bearer … or OSDI-API-Token), every call attributed in the
// audit log, coded errors mapped once to status and a translated message, and one route
// table whose access column is tested against the permission table. Handlers call the
// same services as the web interface; no business rule lives here.
package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"

	"solidarity/internal/audit"
	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/giving"
	"solidarity/internal/i18n"
	"solidarity/internal/people"
	"solidarity/internal/response"
)

// Deps are the services the API calls.
type Deps struct {
	Log      *slog.Logger
	DB       *db.DB
	Auth     *auth.Service
	People   *people.Service
	Giving   *giving.Service
	Response *response.Service
	Catalog  *i18n.Catalog
	BaseURL  string
}

// Server serves /api/v1.
type Server struct {
	Deps
	mux *http.ServeMux
}

// Access says who may call an endpoint: any valid key, or holders of a permission.
type Access string

// AnyKey lets any valid API key through; any other Access is an auth.Permission.
const AnyKey Access = "any-key"

// Route is one endpoint of the API.
type Route struct {
	Pattern string
	Access  Access
	handler http.HandlerFunc
}

// New builds the API server.
func New(deps Deps) *Server {
	s := &Server{Deps: deps, mux: http.NewServeMux()}
	for _, rt := range s.Routes() {
		s.mux.HandleFunc(rt.Pattern, s.guard(rt.Pattern, rt.Access, rt.handler))
	}
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, errs.NotFound("api.not_found"))
	})
	return s
}

// Routes is the API's route table, in one place.
func (s *Server) Routes() []Route {
	return append([]Route{
		{"GET /api/v1/{$}", AnyKey, s.entryPoint},
		{"GET /api/v1/people", Access(auth.PermPeopleRead), s.peopleList},
		{"POST /api/v1/people", Access(auth.PermPeopleWrite), s.peopleSave},
		{"GET /api/v1/people/{id}", Access(auth.PermPeopleRead), s.peopleGet},
		{"GET /api/v1/organizations", Access(auth.PermPeopleRead), s.organizationsList},
		{"GET /api/v1/organizations/{id}", Access(auth.PermPeopleRead), s.organizationsGet},
	}, append(s.reportRoutes(), s.alertRoutes()...)...)
}

// ServeHTTP serves an API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// presentedKey reads the key from Authorization: Bearer or OSDI-API-Token.
func presentedKey(r *http.Request) string {
	if k := r.Header.Get("OSDI-API-Token"); k != "" {
		return strings.TrimSpace(k)
	}
	if v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(v)
	}
	return ""
}

// guard authenticates the key, checks the route's access, runs the handler, and records
// the call in the audit log under the key's name.
func (s *Server) guard(pattern string, need Access, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := presentedKey(r)
		a := auth.ActorFrom(r.Context()) // a signed-in staff session, passed on by the web layer
		switch {
		case key != "":
			var err error
			if a, err = s.Auth.APIKey(r.Context(), key); err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="solidarity", error="invalid_token"`)
				s.fail(w, r, err)
				return
			}
		case a.Kind != auth.KindAccount:
			w.Header().Set("WWW-Authenticate", `Bearer realm="solidarity"`)
			s.fail(w, r, errs.Unauthenticated())
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		if need != AnyKey && !a.Can(auth.Permission(need)) {
			s.fail(rec, r, errs.Forbidden())
		} else {
			h(rec, r.WithContext(auth.WithActor(r.Context(), a)))
		}
		if err := audit.RecordNow(r.Context(), s.DB, audit.Entry{
			Actor: a.Label(), ActorName: a.Name, Action: "api.call", Object: pattern,
			Detail: "status=" + http.StatusText(rec.status),
		}); err != nil {
			s.Log.Error("api: audit call", "route", pattern, "err", err)
		}
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// problem is the JSON body of an error.
type problem struct {
	Error   string       `json:"error"`
	Message string       `json:"message"`
	Fields  []fieldError `json:"fields,omitempty"`
}

type fieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// fail writes a coded error as JSON with its mapped status and a message in the
// language the client asked for (Accept-Language).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := errs.As(err)
	if e.Code == errs.CodeInternal {
		s.Log.Error("api: internal error", "err", e.Cause)
	}
	loc := s.Catalog.Localizer(s.Catalog.Negotiate(nil, r.Header.Get("Accept-Language")))
	key := e.Key
	if key == "" || !s.Catalog.Has("en", key) {
		key = "error." + string(e.Code)
	}
	p := problem{Error: string(e.Code), Message: loc.T(key)}
	for _, f := range errs.Fields(err) {
		p.Fields = append(p.Fields, fieldError{Field: f.Field, Code: f.Key, Message: loc.T(f.Key)})
	}
	writeJSON(w, e.Code.HTTPStatus(), p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/hal+json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}
