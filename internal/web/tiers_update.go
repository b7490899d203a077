package web

import "net/http"

// tiersUpdate saves the edit form of a membership tier.
func (s *Server) tiersUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.saveTier(w, r, id)
}
