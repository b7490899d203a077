package web

import (
	"net/http"
	"strconv"
	"strings"
)

// crmSegmentFields maps the service's field names of a segment to the builder's inputs.
var crmSegmentFields = func() map[string]string {
	m := map[string]string{"name": "name"}
	for k, v := range crmFilterFields {
		m[k] = v
	}
	return m
}()

// segmentsSave saves the builder's filter by name: a new segment, or the one being
// changed (id). A name already taken or a filter the service refuses comes back on the
// builder with the reason next to the field.
func (s *Server) segmentsSave(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	p := crmSegmentsPage{Filter: crmReadFilter(r.PostForm), Name: strings.TrimSpace(r.PostFormValue("name")), ID: crmID(r.PostFormValue("id"))}
	sg, err := s.People.SaveSegment(r.Context(), actor(r), p.ID, p.Name, p.Filter.Filter())
	if fe, status, ok := crmInvalid(err, crmSegmentFields); ok {
		p.Errors = fe
		s.renderSegments(w, r, status, p)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/segments?edit="+strconv.FormatInt(sg.ID, 10), "crm.segments.flash.saved")
}
