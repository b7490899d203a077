package web

import "net/http"

// peopleEdit shows the form that changes a person's details.
func (s *Server) peopleEdit(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, a := r.Context(), actor(r)
	p, err := s.People.Get(ctx, a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defs, err := s.fieldDefs(ctx, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPersonForm(w, r, http.StatusOK, crmPersonFormPage{ID: id, Name: p.Name(), Form: crmFormOfPerson(p), Defs: defs})
}
