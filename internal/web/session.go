package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

// sessionCookie holds the session token; the database holds only its hash.
const sessionCookie = "sid"

// session looks up the session cookie and puts the actor in the request. A session on its
// way in (waiting for a second factor, or for enrolment) leaves the actor public and
// remembers its stage, so that guarded pages send the person to the right step.
func (s *Server) session(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := stateOf(r)
		st.actor = auth.Public()
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" && s.Auth != nil {
			actor, err := s.Auth.Session(r.Context(), c.Value)
			var e *errs.Error
			switch {
			case err == nil:
				st.actor = actor
			case errors.As(err, &e) && (e.Key == auth.KeySessionSecondFactor || e.Key == auth.KeySessionEnrol):
				st.pending = e.Key
			case errs.CodeOf(err) == errs.CodeUnauthenticated || errs.CodeOf(err) == errs.CodeNotFound:
				s.clearSession(w)
			default:
				s.fail(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(auth.WithActor(r.Context(), st.actor)))
	})
}

// setSession gives the browser a session token.
func (s *Server) setSession(w http.ResponseWriter, g auth.Grant) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: g.Token, Path: "/", Expires: g.ExpiresAt,
		HttpOnly: true, Secure: s.Config.Secure(), SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0),
		HttpOnly: true, Secure: s.Config.Secure(), SameSite: http.SameSiteLaxMode})
}

// sessionToken returns the raw session token of the request, for the sign-in steps.
func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// actor returns who is making the request.
func actor(r *http.Request) auth.Actor { return stateOf(r).actor }

// Access says who may reach a route: anyone, anyone signed in, or holders of a permission.
type Access string

// The special accesses; any other value is an auth.Permission.
const (
	Public   Access = "public"
	SignedIn Access = "signed-in"
)

// guard enforces a route's access before its handler runs. Services check permissions
// again; the guard makes the answer uniform (sign-in page, second-factor step, or 403) and
// lets the route table be tested against the permission table.
func (s *Server) guard(need Access, h http.HandlerFunc) http.HandlerFunc {
	if need == Public {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		st := stateOf(r)
		a := st.actor
		if a.Kind != auth.KindAccount {
			s.toSignIn(w, r, st.pending)
			return
		}
		if need != SignedIn && !a.Can(auth.Permission(need)) {
			s.renderError(w, r, http.StatusForbidden, "error.forbidden")
			return
		}
		h(w, r)
	}
}

// toSignIn sends someone not (yet) signed in to the step they need. Reads are redirected
// (and come back afterwards); other methods get 401 so that nothing is half-done.
func (s *Server) toSignIn(w http.ResponseWriter, r *http.Request, pending string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.renderError(w, r, http.StatusUnauthorized, "error.unauthenticated")
		return
	}
	switch pending {
	case auth.KeySessionSecondFactor:
		http.Redirect(w, r, "/login/second-factor", http.StatusSeeOther)
	case auth.KeySessionEnrol:
		http.Redirect(w, r, "/account/two-factor", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	}
}

// safeNext returns a local path to go back to after sign-in, refusing anything that could
// leave the site (an open redirect).
func safeNext(next string) string {
	if next == "" || next[0] != '/' || len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return "/dashboard"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/dashboard"
	}
	return u.RequestURI()
}
