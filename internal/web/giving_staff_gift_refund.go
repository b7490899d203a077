package web

import (
	"net/http"

	"solidarity/internal/giving"
)

// givsGiftRefund refunds part or all of a gift: a card gift through Stripe, any other by
// recording it. A refund cannot be undone, so the first POST (without confirm=yes) asks
// for confirmation with the amount in words. A refused amount, or Stripe refusing, comes
// back on the gift's page with the reason.
func (s *Server) givsGiftRefund(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	amount, reason := field(r, "amount"), field(r, "reason")
	back := givsGiftPage{RefundAmount: amount, Reason: reason}
	cents, ok := crmParseMoney(amount)
	if !ok || cents <= 0 {
		back.Errors = crmFieldError("amount", "giving.refund.amount_positive")
		s.renderGift(w, r, http.StatusUnprocessableEntity, back)
		return
	}
	ctx, a := r.Context(), actor(r)
	if !adminConfirmed(r) {
		g, err := s.Giving.GiftByID(ctx, a, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "giving_staff_confirm", "givs.refund.confirm_title", givsConfirm{
			Heading: "givs.refund.confirm_title", Message: s.Catalog.Localizer(stateOf(r).lang).T("givs.refund.confirm",
				map[string]any{"Amount": giving.FormatAmount(cents, g.Currency), "Gift": g.Amount()}),
			Action: r.URL.Path, Button: "givs.refund.button", Cancel: givsGiftURL(id),
			Hidden: []crmHidden{{"amount", amount}, {"reason", reason}}, Card: g.Method == giving.MethodCard,
		})
		return
	}
	err = s.Giving.Refund(ctx, a, giving.RefundRequest{GiftID: id, AmountCents: cents, Reason: reason})
	if fe, status, ok := givsRefundErrors(err); ok {
		back.Errors = fe
		s.renderGift(w, r, status, back)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, givsGiftURL(id), "givs.refund.flash")
}

// givsRefundErrors shows the refund's refusals on the form: bad input (422) and the
// conflicts staff can act on, Stripe missing or refusing (409).
func givsRefundErrors(err error) (crmErrors, int, bool) {
	if fe, status, ok := crmInvalid(err, nil); ok {
		return fe, status, ok
	}
	switch key := errKey(err); key {
	case "giving.refund.no_stripe", "giving.refund.stripe_failed", "giving.refund.in_progress":
		return crmFieldError("amount", key), http.StatusConflict, true
	}
	return crmErrors{}, 0, false
}
