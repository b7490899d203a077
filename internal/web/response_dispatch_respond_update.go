package web

import (
	"net/http"
	"net/url"

	"solidarity/internal/errs"
	"solidarity/internal/response"
)

// responseDispatchRespondUpdate posts an assigned responder's update from the scene (on
// scene, confirmed, false alarm, family needs help) with an optional note.
func (s *Server) responseDispatchRespondUpdate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	token := r.PathValue("token")
	f := newForm("update", respondInputs)
	f.Values["kind"], f.Values["note"] = field(r, "kind"), r.PostFormValue("note")
	err := s.Response.PostUpdate(r.Context(), token, response.UpdateKind(f.Values["kind"]), f.Values["note"])
	switch {
	case errs.CodeOf(err) == errs.CodeNotFound:
		s.respondGone(w, r)
		return
	case invalid(err) || errs.CodeOf(err) == errs.CodeConflict:
		f.add(err)
		s.renderRespond(w, r, statusOf(errs.CodeOf(err)), "", f)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	s.flash(w, "response_dispatch.respond.flash.update_sent")
	http.Redirect(w, r, response.RespondPath+url.PathEscape(token), http.StatusSeeOther)
}
