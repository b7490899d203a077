package web

import "net/http"

// responseSubscribeDone is the data of the pages that end a subscription step: which
// channel the visitor chose (their own choice, never whether they were known).
type responseSubscribeDone struct {
	Email bool
}

// responseSubscribeThanks says what happens next: a text that says how to stop, or an
// e-mail with a confirmation link. It is the same whether the phone or address was
// subscribed already.
func (s *Server) responseSubscribeThanks(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "response_subscribe_thanks", "alerts.thanks.title",
		responseSubscribeDone{Email: r.URL.Query().Get("via") == "email"})
}
