package web

import "net/http"

// responseSubscribeConfirmSubmit confirms an e-mail subscription (double opt-in) and shows,
// in the subscriber's language, that alerts will come. A used, expired or unknown link gets
// 404 and the advice to sign up again.
func (s *Server) responseSubscribeConfirmSubmit(w http.ResponseWriter, r *http.Request) {
	lang, err := s.Response.ConfirmSubscription(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/alerts/confirmed?lang="+lang, http.StatusSeeOther)
}
