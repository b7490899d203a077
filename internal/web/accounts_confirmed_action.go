package web

import (
	"context"
	"net/http"

	"solidarity/internal/auth"
)

// accountAction is a change to one account that an administrator confirms first: the path
// suffix of its form, the key prefix of its confirmation texts (heading, explain, button),
// the notice shown after it, and the service call that does it (and audits it).
type accountAction struct {
	path, keys, flash string
	do                func(ctx context.Context, actor auth.Actor, id int64) error
}

// adminAccountConfirmed runs an account action: a confirmation page first, the change once
// the form says confirm=yes.
func (s *Server) adminAccountConfirmed(w http.ResponseWriter, r *http.Request, act accountAction) {
	id, err := adminPathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	if !adminConfirmed(r) {
		s.adminConfirmAccount(w, r, id, adminAccountURL(id)+act.path, act.keys+".heading", act.keys+".explain", act.keys+".button")
		return
	}
	if err := act.do(r.Context(), actor(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, adminAccountURL(id), act.flash)
}
