package web

import (
	"net/http"

	"solidarity/internal/giving"
)

// givsSettingsPage is the data of the receipt settings page.
type givsSettingsPage struct {
	Form   giving.Settings
	Errors crmErrors
}

// givsSettings shows what receipts and statements say about the organization: its legal
// name, tax id and tax statement in each language.
func (s *Server) givsSettings(w http.ResponseWriter, r *http.Request) {
	st, err := s.Giving.Settings(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "giving_staff_settings", "givs.settings.title", givsSettingsPage{Form: st})
}

// givsSettingsSave saves the receipt settings (audited by the service).
func (s *Server) givsSettingsSave(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	st := giving.Settings{LegalName: r.PostFormValue("legal_name"), TaxID: r.PostFormValue("tax_id"),
		TaxStatementEn: r.PostFormValue("tax_statement_en"), TaxStatementEs: r.PostFormValue("tax_statement_es")}
	_, err := s.Giving.SaveSettings(r.Context(), actor(r), st)
	if fe, status, ok := crmInvalid(err, nil); ok {
		s.render(w, r, status, "giving_staff_settings", "givs.settings.title", givsSettingsPage{Form: st, Errors: fe})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/giving/settings", "givs.settings.saved")
}
