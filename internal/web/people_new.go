package web

import (
	"net/http"

	"solidarity/internal/errs"
)

// peopleNew shows the form to add a person. After an entry whose e-mail or phone was
// already someone's (?existing=<id>), it says so at the top, with a link to that person,
// and offers an empty form for the next entry.
func (s *Server) peopleNew(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), actor(r)
	defs, err := s.fieldDefs(ctx, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := crmPersonFormPage{Defs: defs}
	if id := crmID(r.URL.Query().Get("existing")); id > 0 {
		existing, err := s.People.Get(ctx, a, id)
		switch {
		case err == nil:
			p.Existing = &existing
		case errs.CodeOf(err) != errs.CodeNotFound: // merged or deleted since: no notice
			s.fail(w, r, err)
			return
		}
	}
	s.renderPersonForm(w, r, http.StatusOK, p)
}
