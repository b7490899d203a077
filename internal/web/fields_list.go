package web

import "net/http"

// fieldsList lists the custom fields with the form that defines one.
func (s *Server) fieldsList(w http.ResponseWriter, r *http.Request) {
	s.renderFields(w, r, http.StatusOK, crmFieldsPage{Form: crmFieldForm{Kind: "text"}})
}
