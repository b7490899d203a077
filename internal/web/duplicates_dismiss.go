package web

import "net/http"

// duplicatesDismiss records that a pair are two different people, so the review page
// stops offering them.
func (s *Server) duplicatesDismiss(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	a, b := crmID(r.PostFormValue("a")), crmID(r.PostFormValue("b"))
	if err := s.People.DismissDuplicate(r.Context(), actor(r), a, b); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/people/duplicates", "crm.duplicates.flash.dismissed")
}
