package web

import "net/http"

// organizationsNew shows the form to add an organization.
func (s *Server) organizationsNew(w http.ResponseWriter, r *http.Request) {
	s.renderOrgForm(w, r, http.StatusOK, crmOrgForm{Kind: "member"}, crmErrors{})
}
