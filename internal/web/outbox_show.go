package web

import (
	"net/http"
	"strconv"

	"solidarity/internal/notify"
)

// adminOutboxShow shows one delivery: recipient, status and what it means, and the
// message. The text part is shown as text; the HTML part only as escaped source, never
// rendered, so that a message can run nothing in the administrator's browser. Reading a
// message is audited (notify.delivery.read): invitation and reset mails hold links that
// open accounts.
func (s *Server) adminOutboxShow(w http.ResponseWriter, r *http.Request) {
	id, err := adminPathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Notify.Delivery(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.adminRecord(r.Context(), actor(r), "notify.delivery.read", "delivery:"+strconv.FormatInt(id, 10), "purpose="+d.Purpose); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_delivery", "admin.outbox.delivery.title", adminDelivery{Delivery: d})
}

// adminDelivery is the data of one delivery's page.
type adminDelivery struct {
	notify.Delivery
}
