package web

import (
	"net/http"

	"solidarity/internal/people"
)

// crmImportsPage is the data of the imports page: the upload form and the latest imports.
type crmImportsPage struct {
	Imports []people.Import
	Errors  crmErrors
	MaxMB   int64
}

// crmRecentImports is how many imports the page lists.
const crmRecentImports = 20

// importsList shows the upload form and the latest imports with their state.
func (s *Server) importsList(w http.ResponseWriter, r *http.Request) {
	s.renderImports(w, r, http.StatusOK, crmErrors{})
}

// renderImports renders the imports page with the upload's errors.
func (s *Server) renderImports(w http.ResponseWriter, r *http.Request, status int, fe crmErrors) {
	list, err := s.People.Imports(r.Context(), actor(r), crmRecentImports)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := crmImportsPage{Imports: list, Errors: fe, MaxMB: s.People.MaxImportBytes() >> 20}
	s.render(w, r, status, "crm_imports", "crm.imports.title", p)
}
