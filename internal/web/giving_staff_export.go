package web

import (
	"net/http"
)

// givsExport downloads the gifts of the filter sent (the list's own filter) as a CSV
// attachment that is never cached. The service neutralizes cells a spreadsheet would run
// and audits the export before the first row leaves; a failure halfway aborts the
// download rather than hand over a silently cut file.
func (s *Server) givsExport(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	q, fe := givsReadFilter(r.PostForm).Query()
	if fe.Any() {
		s.fail(w, r, fe.List()[0])
		return
	}
	out := &crmDownload{w: w, name: "gifts-" + s.givsToday() + ".csv"}
	_, err := s.Giving.ExportGifts(r.Context(), actor(r), q, out)
	switch {
	case err != nil && out.started:
		s.Log.Error("export stopped", "route", stateOf(r).pattern, "err", err)
		panic(http.ErrAbortHandler)
	case err != nil:
		s.fail(w, r, err)
	case !out.started:
		_, _ = out.Write(nil)
	}
}
