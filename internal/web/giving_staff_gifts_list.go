package web

import (
	"net/http"
	"strings"

	"solidarity/internal/giving"
)

// givsGiftsPage is the data of the gift list.
type givsGiftsPage struct {
	givsLabels
	Filter  givsFilter
	Options giving.FilterOptions
	Methods []giving.Method
	Errors  crmErrors
	Gifts   []giving.GiftRow
	Count   int
	Totals  []giving.Totals
	// Next and First page through the list, or are "".
	Next, First string
}

// givsGiftsList lists gifts newest first, filtered by dates, method, fund and page, a page
// at a time, with the count and totals of all that match and (for giving.export) the
// export of the same filter.
func (s *Server) givsGiftsList(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	ctx, a := r.Context(), actor(r)
	p := givsGiftsPage{Filter: givsReadFilter(v), Methods: giving.Methods}
	var err error
	if p.Options, err = s.Giving.GiftFilterOptions(ctx, a); err != nil {
		s.fail(w, r, err)
		return
	}
	q, fe := p.Filter.Query()
	if fe.Any() {
		p.Errors = fe
		s.render(w, r, http.StatusUnprocessableEntity, "giving_staff_gifts", "givs.gifts.title", p)
		return
	}
	q.After = strings.TrimSpace(v.Get("after"))
	page, err := s.Giving.Gifts(ctx, a, q)
	if fe, status, ok := crmInvalid(err, map[string]string{"after": "from"}); ok {
		p.Errors = fe
		s.render(w, r, status, "giving_staff_gifts", "givs.gifts.title", p)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Gifts, p.Count, p.Totals = page.Gifts, page.Count, page.Totals
	link := func(after string) string {
		vals := p.Filter.Values()
		if after != "" {
			vals.Set("after", after)
		}
		if len(vals) == 0 {
			return "/giving/gifts"
		}
		return "/giving/gifts?" + vals.Encode()
	}
	if page.Next != "" {
		p.Next = link(page.Next)
	}
	if q.After != "" {
		p.First = link("")
	}
	s.render(w, r, http.StatusOK, "giving_staff_gifts", "givs.gifts.title", p)
}
