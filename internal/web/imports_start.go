package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/people"
)

// importsStart starts the import with the mapping chosen per column (map-0, map-1, …)
// and tags for everyone in it, as a dry run (dry_run=yes: counts and rejects, nothing
// written) or for real. It runs as a background job; the page then shows its progress.
func (s *Server) importsStart(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	var mapping people.Mapping
	for i := 0; ; i++ {
		v, ok := r.PostForm["map-"+strconv.Itoa(i)]
		if !ok || len(v) == 0 {
			break
		}
		mapping = append(mapping, people.ImportField(v[0]))
	}
	tags := r.PostFormValue("tags")
	dry := r.PostFormValue("dry_run") == "yes"
	_, err = s.People.StartImport(r.Context(), actor(r), id, people.ImportOptions{Mapping: mapping, Tags: crmSplit(tags, crmListSeps), DryRun: dry})
	if fe, status, ok := crmInvalid(err, nil); ok {
		s.renderImport(w, r, status, mapping, tags, fe)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	flash := "crm.import.flash.started"
	if dry {
		flash = "crm.import.flash.dry_run"
	}
	s.redirect(w, r, "/imports/"+strconv.FormatInt(id, 10), flash)
}
