package api

import (
	"net/http"

	"solidarity/internal/auth"
)

// peopleGet serves GET /api/v1/people/{id}: one person, OSDI style.
func (s *Server) peopleGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "people.person.not_found")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.People.Get(r.Context(), auth.ActorFrom(r.Context()), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.personOf(p))
}
