package web

import "net/http"

// tiersList lists the membership tiers with the form that adds one.
func (s *Server) tiersList(w http.ResponseWriter, r *http.Request) {
	s.renderTiers(w, r, http.StatusOK, crmTiersPage{Form: crmTierForm{Currency: "USD", Period: "yearly", Active: true}})
}
