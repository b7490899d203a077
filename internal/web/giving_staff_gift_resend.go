package web

import "net/http"

// givsGiftResend mails a gift's receipt again, with a new PDF link, to the address it was
// made out to.
func (s *Server) givsGiftResend(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Giving.ResendReceipt(r.Context(), actor(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, givsGiftURL(id), "givs.gift.resent")
}
