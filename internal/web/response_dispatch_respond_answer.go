package web

import (
	"net/http"
	"net/url"

	"solidarity/internal/errs"
	"solidarity/internal/response"
)

// responseDispatchRespondAnswer takes the accept or decline button of a responder's link
// page, then shows the page again with what came of it (assigned, not needed, declined).
func (s *Server) responseDispatchRespondAnswer(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	token := r.PathValue("token")
	var accept bool
	switch r.PostFormValue("answer") {
	case "accept":
		accept = true
	case "decline":
	default:
		// No button: the same page again (a dead link gets its own page there).
		http.Redirect(w, r, response.RespondPath+url.PathEscape(token), http.StatusSeeOther)
		return
	}
	out, err := s.Response.AnswerByLink(r.Context(), token, accept)
	if errs.CodeOf(err) == errs.CodeNotFound {
		s.respondGone(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, response.RespondPath+url.PathEscape(token)+"?done="+string(out), http.StatusSeeOther)
}
