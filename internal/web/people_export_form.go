package web

import (
	"net/http"

	"solidarity/internal/people"
)

// crmExportPage is the data of the export page: a saved segment to export, or a filter.
type crmExportPage struct {
	Segments []people.Segment
	Segment  int64 // preselected (?segment=<id>)
	Filter   crmFilterForm
	Options  crmFilterOptions
	Errors   crmErrors
	Count    int // people of the filter
}

// peopleExportForm shows the export: choose a saved segment, or set a filter (it arrives
// filled from the list's or the builder's "export" link), then download a CSV file.
func (s *Server) peopleExportForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.renderExport(w, r, http.StatusOK, crmExportPage{Filter: crmReadFilter(q), Segment: crmID(q.Get("segment"))})
}

// renderExport renders the export page with the filter's count, or its errors.
func (s *Server) renderExport(w http.ResponseWriter, r *http.Request, status int, p crmExportPage) {
	ctx, a := r.Context(), actor(r)
	var err error
	if p.Segments, err = s.People.Segments(ctx, a); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Options, err = s.filterOptions(ctx, a); err != nil {
		s.fail(w, r, err)
		return
	}
	if !p.Errors.Any() {
		p.Count, err = s.People.Count(ctx, a, p.Filter.Filter())
		if fe, st, ok := crmInvalid(err, crmFilterFields); ok {
			p.Errors, status = fe, st
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "crm_export", "crm.export.title", p)
}
