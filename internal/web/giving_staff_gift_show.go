package web

import (
	"net/http"

	"solidarity/internal/giving"
)

// givsGiftPage is the data of a gift's page.
type givsGiftPage struct {
	givsLabels
	Gift    giving.GiftRow
	Refunds []giving.RefundRecord
	// The refund form (giving.write): its values and errors.
	RefundAmount, Reason string
	Errors               crmErrors
	// Card tells staff that the refund goes through Stripe.
	Card bool
	// Outside is what was refunded in Stripe's dashboard rather than here, formatted, or "".
	Outside string
}

// givsGiftShow shows one gift: what, when, how, from whom (with links to the person and
// their gifts), its receipt, its refunds, and for giving.write the refund and resend
// forms.
func (s *Server) givsGiftShow(w http.ResponseWriter, r *http.Request) {
	s.renderGift(w, r, http.StatusOK, givsGiftPage{})
}

// renderGift renders the path's gift with the refund form's values and errors of p.
func (s *Server) renderGift(w http.ResponseWriter, r *http.Request, status int, p givsGiftPage) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, a := r.Context(), actor(r)
	if p.Gift, err = s.Giving.GiftByID(ctx, a, id); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Refunds, err = s.Giving.Refunds(ctx, a, id); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.RefundAmount == "" && !p.Errors.Any() {
		p.RefundAmount = givsMoney(p.Gift.Left())
	}
	p.Card = p.Gift.Method == giving.MethodCard
	listed := int64(0)
	for _, rf := range p.Refunds {
		if rf.Status == "succeeded" {
			listed += rf.AmountCents
		}
	}
	if p.Gift.RefundedCents > listed {
		p.Outside = giving.FormatAmount(p.Gift.RefundedCents-listed, p.Gift.Currency)
	}
	s.render(w, r, status, "giving_staff_gift", "givs.gift.title", p)
}
