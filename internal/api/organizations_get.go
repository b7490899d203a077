package api

import (
	"net/http"

	"solidarity/internal/auth"
)

// organizationsGet serves GET /api/v1/organizations/{id}: one organization.
func (s *Server) organizationsGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "people.org.not_found")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	o, err := s.People.Organization(r.Context(), auth.ActorFrom(r.Context()), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.organizationOf(o))
}
