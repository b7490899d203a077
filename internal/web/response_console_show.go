package web

import (
	"net/http"

	"solidarity/internal/i18n"
)

// consolePage is the data of the hotline console.
type consolePage struct {
	Form    *form
	Choices reportFormChoices
	Langs   []i18n.Lang
	Recent  []boardRow
	// Sealed says the last report could not be recorded because the vault is sealed.
	Sealed bool
}

// responseConsoleShow shows the hotline console: a form built for the keyboard (the first
// field has the focus, the tab order follows the call, Enter records the report) and the
// newest reports.
func (s *Server) responseConsoleShow(w http.ResponseWriter, r *http.Request) {
	f := newForm("console", reportInputs)
	f.Values["when"] = "now"
	f.Values["language"] = stateOf(r).lang
	s.renderConsole(w, r, http.StatusOK, f, false)
}

// renderConsole renders the console with status.
func (s *Server) renderConsole(w http.ResponseWriter, r *http.Request, status int, f *form, sealed bool) {
	recent, err := s.Response.Recent(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := consolePage{Form: f, Choices: reportChoices(), Langs: i18n.Langs, Sealed: sealed}
	loc, now := stateOf(r).loc, s.DB.Now()
	for _, rep := range recent {
		p.Recent = append(p.Recent, boardRowOf(loc, rep, now))
	}
	s.render(w, r, status, "response_console", "response.console.title", p)
}
