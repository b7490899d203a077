package web

import (
	"io"
	"net/http"

	"solidarity/internal/errs"
)

// givingPublicWebhook takes Stripe's event deliveries. It answers in plain text, as Stripe
// reads only the status: 200 once the event is stored (applied, or queued for a retry), 400
// for a forged, stale or missing signature or when no webhook secret is configured to
// verify it (nothing is stored), and 500 on any other failure, so that Stripe delivers
// again later.
// Stripe calls from its servers without Origin or Sec-Fetch-Site headers, which
// cross-origin protection lets through; the signature is what authenticates it.
func (s *Server) givingPublicWebhook(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	payload, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	err = s.Giving.ReceiveStripeEvent(r.Context(), payload, r.Header.Get("Stripe-Signature"))
	switch errs.CodeOf(err) {
	case "":
		_, _ = io.WriteString(w, "ok\n")
	case errs.CodeInvalid:
		http.Error(w, "invalid signature", http.StatusBadRequest)
	case errs.CodeConflict:
		// No webhook secret: nothing can be verified, so nothing is taken.
		http.Error(w, "cannot verify: no webhook secret is configured", http.StatusBadRequest)
	default:
		s.Log.Error("stripe webhook", "err", errs.As(err).Cause)
		http.Error(w, "not stored; retry later", http.StatusInternalServerError)
	}
}
