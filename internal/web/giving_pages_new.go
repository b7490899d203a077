package web

import (
	"net/http"

	"solidarity/internal/giving"
)

// givingPagesNew shows the form for a new donation page, with the usual choices made:
// dollars, one-time and monthly, custom amounts allowed, not published.
func (s *Server) givingPagesNew(w http.ResponseWriter, r *http.Request) {
	s.givingRenderPageForm(w, r, http.StatusOK, givingPagesPage{Form: givingPageForm{
		Currency: "usd", Frequency: string(giving.FrequencyBoth), AllowCustom: true, Amounts: "10, 25, 50, 100",
	}})
}
