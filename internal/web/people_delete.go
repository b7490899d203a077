package web

import "net/http"

// peopleDelete removes a person and everything that hangs on them, after a confirmation
// step that names them. The service audits it.
func (s *Server) peopleDelete(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, a := r.Context(), actor(r)
	if !adminConfirmed(r) {
		p, err := s.People.Get(ctx, a, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.renderConfirm(w, r, crmConfirm{Heading: "crm.person.delete_heading", Message: "crm.person.delete_explain",
			Name: p.Name(), Action: crmPersonURL(id) + "/delete", Button: "crm.person.delete_button", Cancel: crmPersonURL(id)})
		return
	}
	if err := s.People.Delete(ctx, a, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/people", "crm.person.flash.deleted")
}
