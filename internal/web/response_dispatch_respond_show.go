package web

import (
	"net/http"

	"solidarity/internal/errs"
	"solidarity/internal/response"
)

// respondPage is the data of a responder's one-tap link page.
type respondPage struct {
	Token   string
	View    response.RespondView
	Kinds   []response.UpdateKind
	Outcome string // the answer just given, for the notice: assigned, not_needed, declined
	Form    *form  // the update form, with its errors
}

// respondInputs maps the update's service fields to the form's inputs.
var respondInputs = map[string]string{"kind": "kind", "note": "note"}

// responseDispatchRespondShow opens a responder's link: what the request is about, the
// accept and decline buttons, and once they are assigned the address and the update form.
// It speaks the responder's language unless the visitor chose one. An unknown or expired
// link gets a page that says only that.
func (s *Server) responseDispatchRespondShow(w http.ResponseWriter, r *http.Request) {
	s.renderRespond(w, r, http.StatusOK, r.URL.Query().Get("done"), nil)
}

// renderRespond loads the link's page and renders it with status.
func (s *Server) renderRespond(w http.ResponseWriter, r *http.Request, status int, outcome string, f *form) {
	token := r.PathValue("token")
	v, err := s.Response.RespondPage(r.Context(), token)
	if errs.CodeOf(err) == errs.CodeNotFound {
		s.respondGone(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.speakResponderLanguage(w, r, v.Language)
	switch response.AnswerOutcome(outcome) {
	case response.AnswerAssigned, response.AnswerNotNeeded, response.AnswerDeclined:
	default:
		outcome = ""
	}
	if f == nil {
		f = newForm("update", respondInputs)
	}
	s.render(w, r, status, "response_dispatch_respond", "response_dispatch.respond.title",
		respondPage{Token: token, View: v, Kinds: response.UpdateKinds(), Outcome: outcome, Form: f})
}

// respondGone answers a dead link: a 404 page that says nothing about any report.
func (s *Server) respondGone(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "response_dispatch_gone", "response_dispatch.gone.title", nil)
}

// speakResponderLanguage renders the page in the responder's language, unless the visitor
// picked one with the language switcher (?lang= or its cookie).
func (s *Server) speakResponderLanguage(w http.ResponseWriter, r *http.Request, lang string) {
	if r.URL.Query().Get("lang") != "" || !s.Catalog.Supported(lang) {
		return
	}
	if _, err := r.Cookie("lang"); err == nil {
		return
	}
	st := stateOf(r)
	st.lang, st.loc = lang, s.Catalog.Localizer(lang)
	w.Header().Set("Content-Language", lang)
}
