package web

import (
	"net/http"
	"strconv"
)

// givsPersonStatement mails a person their annual statement for the year chosen, at their
// primary e-mail. A person without an address, or a bad year, comes back on the page.
func (s *Server) givsPersonStatement(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	year := field(r, "year")
	y, err := strconv.Atoi(year)
	if err != nil {
		y = 0 // the service refuses it
	}
	err = s.Giving.SendStatement(r.Context(), actor(r), id, y)
	if fe, status, ok := crmInvalid(err, map[string]string{"person": "year"}); ok {
		s.renderPersonGifts(w, r, status, givsPersonPage{Year: year, Errors: fe})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/giving/people/"+strconv.FormatInt(id, 10), "givs.person.statement_sent")
}
