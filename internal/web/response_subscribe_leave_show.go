package web

import (
	"net/http"

	"solidarity/internal/response"
)

// responseSubscribeLeaveShow opens a leave link with a button that ends the subscription.
// Opening it changes nothing (mail scanners follow links), and it says nothing about the
// subscription: the link is all it knows.
func (s *Server) responseSubscribeLeaveShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "response_subscribe_leave", "alerts.leave.title",
		responseSubscribeAction{Action: response.LeavePath + r.PathValue("token")})
}
