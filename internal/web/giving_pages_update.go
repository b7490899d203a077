package web

import "net/http"

// givingPagesUpdate changes a donation page (publishing it is the published box).
func (s *Server) givingPagesUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.givingSavePage(w, r, id)
}
