package web

import (
	"net/http"
	"net/url"
	"slices"

	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// fieldsDelete removes a custom field and every value of it, after a confirmation step.
func (s *Server) fieldsDelete(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	key := r.PathValue("key")
	if !adminConfirmed(r) {
		defs, err := s.People.Fields(r.Context(), actor(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !slices.ContainsFunc(defs, func(d people.FieldDef) bool { return d.Key == key }) {
			s.fail(w, r, errs.NotFound("people.custom.not_found"))
			return
		}
		s.render(w, r, http.StatusOK, "admin_confirm", "crm.fields.delete_heading", adminConfirm{
			Heading: "crm.fields.delete_heading", Message: "crm.fields.delete_explain", Name: key,
			Action: "/admin/fields/" + url.PathEscape(key) + "/delete", Button: "crm.fields.delete_button", Cancel: "/admin/fields",
		})
		return
	}
	if err := s.People.DeleteField(r.Context(), actor(r), key); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/fields", "crm.fields.flash.deleted")
}
