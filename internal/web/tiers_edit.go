package web

import (
	"net/http"

	"solidarity/internal/errs"
)

// tiersEdit shows the form that changes a membership tier.
func (s *Server) tiersEdit(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tiers, err := s.People.Tiers(r.Context(), false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, t := range tiers {
		if t.ID == id {
			s.renderTiers(w, r, http.StatusOK, crmTiersPage{ID: id, Form: crmFormOfTier(t)})
			return
		}
	}
	s.fail(w, r, errs.NotFound("people.tier.not_found"))
}
