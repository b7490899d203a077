package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
	"solidarity/internal/i18n"
)

//go:embed templates
var templateFS embed.FS

// funcs are the template helpers that need no request; translation is a View method.
var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
}

// parsePages parses each page in templates/pages together with the layout and partials.
func parsePages() (map[string]*template.Template, error) {
	base := template.New("layout").Funcs(funcs)
	base, err := base.ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if t, err = t.ParseFS(templateFS, f); err != nil {
			return nil, fmt.Errorf("web: template %s: %w", f, err)
		}
		pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return pages, nil
}

// View is what every page template receives. Translation is {{.T "key"}} (or {{$.T …}}
// inside range and with).
type View struct {
	*i18n.Localizer
	Title  string // message key of the page title
	Flash  string // message key of a one-time notice
	Demo   bool
	Sealed bool
	Path   string
	Langs  []LangLink
	Data   any
	// Actor is who is looking; SignedIn tells templates whether to show staff navigation.
	Actor    auth.Actor
	SignedIn bool
	server   *Server
}

// Can reports whether the viewer holds a permission, for showing links; the routes and
// services enforce it.
func (v *View) Can(p string) bool { return v.Actor.Can(auth.Permission(p)) }

// LangLink is one entry of the language switcher.
type LangLink struct {
	Code, Name, URL string
	Current         bool
}

// Static returns the versioned address of a static file.
func (v *View) Static(name string) string { return v.server.static.url(name) }

// Dir returns the text direction of the page's language.
func (v *View) Dir() string { return v.Lang.Dir }

func (s *Server) view(w http.ResponseWriter, r *http.Request, title string, data any) *View {
	st := stateOf(r)
	v := &View{Localizer: st.loc, Title: title, Data: data, Path: r.URL.Path, server: s, Demo: s.Config.Demo,
		Actor: st.actor, SignedIn: st.actor.Kind == auth.KindAccount}
	if s.Vault != nil {
		v.Sealed = s.Vault.Sealed()
	}
	for _, l := range i18n.Langs {
		q := url.Values{}
		for k, vals := range r.URL.Query() {
			if k != "lang" {
				q[k] = vals
			}
		}
		q.Set("lang", l.Code)
		v.Langs = append(v.Langs, LangLink{Code: l.Code, Name: l.Name, URL: r.URL.Path + "?" + q.Encode(), Current: l.Code == st.lang})
	}
	if c, err := r.Cookie("flash"); err == nil {
		if s.Catalog.Has("en", c.Value) {
			v.Flash = c.Value
		}
		http.SetCookie(w, &http.Cookie{Name: "flash", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.Config.Secure(), SameSite: http.SameSiteLaxMode})
	}
	return v
}

// render writes a page with status; the page is rendered to a buffer first so that a
// template error becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	t, ok := s.pages[page]
	if !ok {
		s.fail(w, r, errs.Internalf("web: no page %q", page))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", s.view(w, r, title, data)); err != nil {
		s.Log.Error("render", "page", page, "err", err)
		if page != "error" {
			s.renderError(w, r, http.StatusInternalServerError, "error.internal")
		}
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage is the data of the error template.
type errorPage struct {
	Status  int
	Message string // message key
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, key string) {
	s.render(w, r, status, "error", "error.title", errorPage{Status: status, Message: key})
}

// fail renders err as an error page: its translated safe message and mapped status. Only
// internal errors are logged, with their cause and the route (never request data).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		s.renderError(w, r, http.StatusRequestEntityTooLarge, "error.too_large")
		return
	}
	e := errs.As(err)
	if e.Code == errs.CodeInternal {
		s.Log.Error("internal error", "route", stateOf(r).pattern, "err", e.Cause)
	}
	key := e.Key
	if key == "" || !s.Catalog.Has("en", key) {
		key = "error." + string(e.Code)
	}
	s.renderError(w, r, statusOf(e.Code), key)
}

// flash sets a one-time notice (a message key) shown on the next page.
func (s *Server) flash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{Name: "flash", Value: key, Path: "/", MaxAge: 120, HttpOnly: true,
		Secure: s.Config.Secure(), SameSite: http.SameSiteLaxMode})
}

// redirect answers a successful form post with 303 See Other, optionally with a notice.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flashKey string) {
	if flashKey != "" {
		s.flash(w, flashKey)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "error.not_found")
}
