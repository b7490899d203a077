package web

import "net/http"

// segmentsDelete removes a saved segment (never its people), after a confirmation step.
func (s *Server) segmentsDelete(w http.ResponseWriter, r *http.Request) {
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
		sg, err := s.People.Segment(ctx, a, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.renderConfirm(w, r, crmConfirm{Heading: "crm.segments.delete_heading", Message: "crm.segments.delete_explain",
			Name: sg.Name, Action: r.URL.Path, Button: "crm.segments.delete_button", Cancel: "/segments"})
		return
	}
	if err := s.People.DeleteSegment(ctx, a, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/segments", "crm.segments.flash.deleted")
}
