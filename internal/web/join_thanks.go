package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/people"
)

// joinThanksPage is the data of the thank-you page.
type joinThanksPage struct {
	// Tier is the membership tier chosen, nil for a supporter.
	Tier *publicTier
	// Days is how long the confirmation link works.
	Days int
	// PayDues is true when a paid tier's dues can be paid by card now (giving.DuesPath).
	PayDues bool
}

// joinThanks thanks someone for joining and asks them to confirm their address. It is the
// same page whether the address was known or new; a paid tier adds that the membership
// waits for its dues.
func (s *Server) joinThanks(w http.ResponseWriter, r *http.Request) {
	page := joinThanksPage{Days: int(people.ConfirmTTL.Hours() / 24), PayDues: s.Giving != nil && s.Giving.CardGiving()}
	if id, err := strconv.ParseInt(r.URL.Query().Get("tier"), 10, 64); err == nil && id > 0 {
		tiers, err := s.People.Tiers(r.Context(), true)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, t := range publicTiers(tiers, stateOf(r).lang) {
			if t.Value == strconv.FormatInt(id, 10) {
				page.Tier = &t
			}
		}
	}
	s.render(w, r, http.StatusOK, "public_join_thanks", "public.thanks.title", page)
}
