package web

import "net/http"

// responseSubscribeConfirmed says that an e-mail subscription is confirmed.
func (s *Server) responseSubscribeConfirmed(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "response_subscribe_confirmed", "alerts.confirmed.title", nil)
}
