package web

import "net/http"

// responseSubscribeLeft says that a subscription has ended and its details are deleted.
func (s *Server) responseSubscribeLeft(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "response_subscribe_left", "alerts.left.title", nil)
}
