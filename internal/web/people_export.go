package web

import (
	"net/http"

	"solidarity/internal/people"
)

// peopleExport downloads the people of a saved segment (segment=<id>) or of the filter
// sent, as a CSV attachment that is never cached. The service neutralizes cells that a
// spreadsheet would run as formulas and audits the export before the first row leaves.
// A filter it refuses comes back on the export page; a failure halfway through aborts
// the download rather than handing over a silently cut file.
func (s *Server) peopleExport(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	req := people.ExportRequest{SegmentID: crmID(r.PostFormValue("segment"))}
	form := crmReadFilter(r.PostForm)
	if req.SegmentID == 0 {
		req.Filter = form.Filter()
	}
	out := &crmDownload{w: w, name: "people-" + s.DB.Now().UTC().Format(adminDateLayout) + ".csv"}
	_, err := s.People.Export(r.Context(), actor(r), req, out)
	switch {
	case err != nil && out.started:
		s.Log.Error("export stopped", "route", stateOf(r).pattern, "err", err)
		panic(http.ErrAbortHandler)
	case err != nil:
		if fe, status, ok := crmInvalid(err, crmFilterFields); ok {
			s.renderExport(w, r, status, crmExportPage{Filter: form, Errors: fe})
			return
		}
		s.fail(w, r, err)
	case !out.started: // nothing written at all: still a file, with no rows
		_, _ = out.Write(nil)
	}
}

// crmDownload is a CSV attachment whose headers go out with its first bytes, so that an
// error before any row can still be answered with a page.
type crmDownload struct {
	w       http.ResponseWriter
	name    string
	started bool
}

// Write sends the attachment's headers (and a byte-order mark, so that spreadsheets read
// the file as UTF-8) before the first bytes.
func (d *crmDownload) Write(b []byte) (int, error) {
	if !d.started {
		d.started = true
		h := d.w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+d.name+`"`)
		h.Set("Cache-Control", "no-store")
		d.w.WriteHeader(http.StatusOK)
		if _, err := d.w.Write([]byte("\uFEFF")); err != nil {
			return 0, err
		}
	}
	return d.w.Write(b)
}
