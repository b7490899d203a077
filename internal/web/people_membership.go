package web

import (
	"net/http"
	"strings"
	"time"

	"solidarity/internal/people"
)

// peopleMembership gives the person a membership or changes it: tier, status, and start
// and expiry dates (an expiry left empty on an active membership follows from the tier).
func (s *Server) peopleMembership(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	form := crmMembershipForm{Tier: v("tier"), Status: v("status"), Started: v("started"), Expires: v("expires")}
	in := people.MembershipInput{TierID: crmID(form.Tier), Status: people.MembershipStatus(form.Status)}
	for _, d := range []struct {
		field, value string
		dst          **time.Time
	}{{"membership_started", form.Started, &in.StartedAt}, {"membership_expires", form.Expires, &in.ExpiresAt}} {
		t, ok := adminParseDate(d.value)
		if !ok {
			s.renderPerson(w, r, http.StatusUnprocessableEntity,
				crmPersonPage{Member: form, Errors: crmFieldError(d.field, "crm.date_invalid")})
			return
		}
		if !t.IsZero() {
			*d.dst = &t
		}
	}
	_, err = s.People.SetMembership(r.Context(), actor(r), id, in)
	rename := map[string]string{"status": "membership_status", "tier": "membership_tier", "expires_at": "membership_expires"}
	if fe, status, ok := crmInvalid(err, rename); ok {
		s.renderPerson(w, r, status, crmPersonPage{Member: form, Errors: fe})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, crmPersonURL(id)+"#person-membership", "crm.membership.flash.saved")
}
