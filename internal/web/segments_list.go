package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/people"
)

// crmSegmentsPage is the data of the segment builder: the filter, how many people it
// matches, the form that saves it by name, and the saved segments with their counts.
type crmSegmentsPage struct {
	ID       int64 // the saved segment being changed, or 0
	Name     string
	Filter   crmFilterForm
	Options  crmFilterOptions
	Errors   crmErrors
	Count    int
	Counted  bool
	ListURL  string // the people list with this filter
	Segments []crmSegmentRow
}

// crmSegmentRow is one saved segment in the list.
type crmSegmentRow struct {
	Segment          people.Segment
	Count            int
	EditURL, ListURL string
	ExportURL        string
}

// segmentsList is the segment builder. Its form is sent with GET to count the people of
// the filter ("Count"), or with POST to save it; ?edit=<id> loads a saved segment.
func (s *Server) segmentsList(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), actor(r)
	q := r.URL.Query()
	p := crmSegmentsPage{Filter: crmReadFilter(q), Name: strings.TrimSpace(q.Get("name")), ID: crmID(q.Get("id"))}
	if id := crmID(q.Get("edit")); id > 0 {
		sg, err := s.People.Segment(ctx, a, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.ID, p.Name, p.Filter = sg.ID, sg.Name, crmFormOf(sg.Filter)
	}
	s.renderSegments(w, r, http.StatusOK, p)
}

// renderSegments counts the page's filter and renders the builder with the saved
// segments. A filter the service refuses comes back with its errors (422).
func (s *Server) renderSegments(w http.ResponseWriter, r *http.Request, status int, p crmSegmentsPage) {
	ctx, a := r.Context(), actor(r)
	var err error
	if p.Options, err = s.filterOptions(ctx, a); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Segments, err = s.segmentRows(ctx, a); err != nil {
		s.fail(w, r, err)
		return
	}
	p.ListURL = crmWithFilter("/people", p.Filter)
	if !p.Errors.Any() {
		p.Count, err = s.People.Count(ctx, a, p.Filter.Filter())
		if fe, st, ok := crmInvalid(err, crmFilterFields); ok {
			p.Errors, status = fe, st
		} else if err != nil {
			s.fail(w, r, err)
			return
		} else {
			p.Counted = true
		}
	}
	s.render(w, r, status, "crm_segments", "crm.segments.title", p)
}

// segmentRows lists the saved segments with how many people each matches now.
func (s *Server) segmentRows(ctx context.Context, a auth.Actor) ([]crmSegmentRow, error) {
	segs, err := s.People.Segments(ctx, a)
	if err != nil {
		return nil, err
	}
	rows := make([]crmSegmentRow, 0, len(segs))
	for _, sg := range segs {
		n, err := s.People.Count(ctx, a, sg.Filter)
		if err != nil {
			return nil, err
		}
		id := strconv.FormatInt(sg.ID, 10)
		rows = append(rows, crmSegmentRow{Segment: sg, Count: n, EditURL: "/segments?edit=" + id,
			ListURL: crmWithFilter("/people", crmFormOf(sg.Filter)), ExportURL: "/people/export?segment=" + id})
	}
	return rows, nil
}
