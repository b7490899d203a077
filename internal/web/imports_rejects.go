package web

import (
	"net/http"
	"strconv"
)

// importsRejects downloads an import's rejected rows as CSV: row number, the reason in
// the page's language, the column, then the row's cells as they were (neutralized against
// formula injection by the service).
func (s *Server) importsRejects(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := &crmDownload{w: w, name: "import-" + strconv.FormatInt(id, 10) + "-rejects.csv"}
	err = s.People.WriteRejects(r.Context(), actor(r), id, stateOf(r).lang, out)
	switch {
	case err != nil && out.started:
		s.Log.Error("rejects download stopped", "route", stateOf(r).pattern, "err", err)
		panic(http.ErrAbortHandler)
	case err != nil:
		s.fail(w, r, err)
	case !out.started:
		_, _ = out.Write(nil)
	}
}
