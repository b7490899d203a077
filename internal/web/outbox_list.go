package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"solidarity/internal/notify"
)

// adminOutboxPageSize is how many deliveries one page shows.
const adminOutboxPageSize = 50

// adminOutboxForm is the filter form of the delivery log as sent.
type adminOutboxForm struct {
	Channel, Status, Purpose string
}

// adminOutboxPage is the data of the delivery log page.
type adminOutboxPage struct {
	List            notify.DeliveryList
	Form            adminOutboxForm
	Errors          adminErrors
	Channels        []notify.Channel
	Statuses        []notify.Status
	Page            int // 1-based
	Prev, Next      string
	EmailConfigured bool
	SMSConfigured   bool
	FirstN, LastN   int // positions of the first and last delivery shown
}

// adminOutboxList shows the delivery log, newest first, filtered by channel, status and
// purpose, a page at a time. With no provider configured, e-mail and SMS wait here in the
// built-in outbox, readable on each delivery's page.
func (s *Server) adminOutboxList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	form := adminOutboxForm{Channel: q.Get("channel"), Status: q.Get("status"), Purpose: strings.TrimSpace(q.Get("purpose"))}
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	p := adminOutboxPage{
		Form: form, Page: page,
		Channels: []notify.Channel{notify.ChannelEmail, notify.ChannelSMS},
		Statuses: []notify.Status{notify.StatusOutbox, notify.StatusQueued, notify.StatusSending, notify.StatusSent,
			notify.StatusFailed, notify.StatusUncertain},
		EmailConfigured: s.Notify.EmailConfigured(), SMSConfigured: s.Notify.SMSConfigured(),
	}
	list, err := s.Notify.Deliveries(r.Context(),
		notify.Filter{Channel: notify.Channel(form.Channel), Status: notify.Status(form.Status), Purpose: form.Purpose},
		notify.Page{Offset: (page - 1) * adminOutboxPageSize, Limit: adminOutboxPageSize})
	if fe, ok := adminInvalid(err, nil); ok {
		p.Errors = fe
		s.render(w, r, http.StatusUnprocessableEntity, "admin_outbox", "admin.outbox.title", p)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.List = list
	if n := len(list.Deliveries); n > 0 {
		p.FirstN = (page-1)*adminOutboxPageSize + 1
		p.LastN = p.FirstN + n - 1
	}
	if page > 1 {
		p.Prev = adminOutboxURL(form, page-1)
	}
	if page*adminOutboxPageSize < list.Total {
		p.Next = adminOutboxURL(form, page+1)
	}
	s.render(w, r, http.StatusOK, "admin_outbox", "admin.outbox.title", p)
}

// adminOutboxURL is the address of a page of the delivery log with the same filters.
func adminOutboxURL(f adminOutboxForm, page int) string {
	v := url.Values{}
	for k, val := range map[string]string{"channel": f.Channel, "status": f.Status, "purpose": f.Purpose} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/admin/outbox"
	}
	return "/admin/outbox?" + v.Encode()
}
