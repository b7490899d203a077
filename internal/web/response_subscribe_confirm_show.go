package web

import (
	"net/http"

	"solidarity/internal/response"
)

// responseSubscribeAction is the data of a page with one button that posts to Action.
type responseSubscribeAction struct {
	Action string
}

// responseSubscribeConfirmShow opens an e-mail confirmation link with a button that
// confirms. Opening the link changes nothing: mail scanners that follow links must not
// subscribe anyone.
func (s *Server) responseSubscribeConfirmShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "response_subscribe_confirm", "alerts.confirm.title",
		responseSubscribeAction{Action: response.SubscribeConfirmPath + r.PathValue("token")})
}
