package web

import (
	"net/http"
	"net/url"
)

// accountLanguage sets the language of one's mail and pages, and switches this browser to
// it at once (through ?lang=, which the locale middleware remembers).
func (s *Server) accountLanguage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	me, locale := actor(r), field(r, "locale")
	if err := s.Auth.SetLocale(r.Context(), me, me.ID, locale); err != nil {
		if !invalid(err) {
			s.fail(w, r, err)
			return
		}
		f := newForm("language", accountLanguageInputs)
		f.add(err)
		s.showAccount(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	s.redirect(w, r, "/account?"+url.Values{"lang": {locale}}.Encode(), "signin.flash.language_saved")
}
