package web

import "net/http"

// tiersCreate adds a membership tier. The service checks it and audits the change.
func (s *Server) tiersCreate(w http.ResponseWriter, r *http.Request) {
	s.saveTier(w, r, 0)
}

// saveTier saves the tier form as tier id (0: a new one) and goes back to the list, or
// shows the form again with its errors.
func (s *Server) saveTier(w http.ResponseWriter, r *http.Request, id int64) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	form := crmReadTier(r)
	t, fe := form.Tier()
	if fe.Any() {
		s.renderTiers(w, r, http.StatusUnprocessableEntity, crmTiersPage{ID: id, Form: form, Errors: fe})
		return
	}
	_, err := s.People.SaveTier(r.Context(), actor(r), id, t)
	if fe, status, ok := crmInvalid(err, nil); ok {
		s.renderTiers(w, r, status, crmTiersPage{ID: id, Form: form, Errors: fe})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/tiers", "crm.tiers.flash.saved")
}
