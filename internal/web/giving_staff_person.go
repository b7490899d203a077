package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/giving"
)

// givsPersonPage is the data of a person's gifts page.
type givsPersonPage struct {
	givsLabels
	Giving giving.PersonGiving
	Gifts  []giving.GiftRow // for the shared gift rows
	Years  []int            // the years a statement can be sent for
	Year   string
	Errors crmErrors
}

// givsPerson shows what one person gave: totals per year, their gifts, and (giving.write)
// the form that mails them their annual statement.
func (s *Server) givsPerson(w http.ResponseWriter, r *http.Request) {
	s.renderPersonGifts(w, r, http.StatusOK, givsPersonPage{})
}

// renderPersonGifts renders the path's person's gifts page with the statement form's
// value and errors of p.
func (s *Server) renderPersonGifts(w http.ResponseWriter, r *http.Request, status int, p givsPersonPage) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Giving, err = s.Giving.PersonGifts(r.Context(), actor(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Gifts, p.Years = p.Giving.Gifts, s.Giving.StatementYears()
	if p.Year == "" {
		p.Year = strconv.Itoa(p.Years[0])
		if s.DB.Now().Month() <= 3 && len(p.Years) > 1 {
			p.Year = strconv.Itoa(p.Years[1]) // early in the year, last year's is the one asked for
		}
	}
	s.render(w, r, status, "giving_staff_person", "givs.person.title", p)
}
