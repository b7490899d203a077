package web

import (
	"net/http"

	"solidarity/internal/i18n"
)

// joinPage is the data of the public Join form.
type joinPage struct {
	Form  *form
	Tiers []publicTier
	Langs []i18n.Lang
}

// joinInputs maps the Join service's fields to the form's inputs.
var joinInputs = map[string]string{
	"given_name": "given_name", "family_name": "family_name", "email": "email", "phone": "phone",
	"zip": "zip", "language": "language", "tier": "tier",
}

// joinShow shows the public Join form: membership tiers or supporter, details, consent per
// channel (unchecked), and what is kept and why.
func (s *Server) joinShow(w http.ResponseWriter, r *http.Request) {
	f := newForm("join", joinInputs)
	f.Values["tier"] = "0"
	f.Values["language"] = stateOf(r).lang
	s.renderJoin(w, r, http.StatusOK, f)
}

// renderJoin renders the Join form with status, listing the tiers offered now.
func (s *Server) renderJoin(w http.ResponseWriter, r *http.Request, status int, f *form) {
	tiers, err := s.People.Tiers(r.Context(), true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "public_join", "public.join.title", joinPage{Form: f, Tiers: publicTiers(tiers, stateOf(r).lang), Langs: i18n.Langs})
}
