package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/audit"
)

// adminAuditForm is the filter form of the audit log as sent.
type adminAuditForm struct {
	Actor, Action, Object, From, To string
}

// adminAuditPage is the data of the audit log page.
type adminAuditPage struct {
	Entries []audit.Stored
	Form    adminAuditForm
	Errors  adminErrors
	Older   string // address of the next (older) page, or ""
	Newest  string // address of the first page, when on a later one
}

// adminAuditPageSize is how many entries one page shows.
const adminAuditPageSize = 50

// adminAuditList shows the audit log, newest first, filtered by actor, action prefix,
// object and dates (From inclusive, To inclusive of its whole day, in UTC), a page at a
// time: ?before=<seq> continues below that entry.
func (s *Server) adminAuditList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	form := adminAuditForm{
		Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		Object: strings.TrimSpace(q.Get("object")), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
	}
	p := adminAuditPage{Form: form}
	f := audit.Filter{Actor: form.Actor, Action: form.Action, Object: form.Object, Limit: adminAuditPageSize}
	from, okFrom := adminParseDate(form.From)
	to, okTo := adminParseDate(form.To)
	switch {
	case !okFrom:
		p.Errors = adminFieldError("from", "admin.audit.date_invalid")
	case !okTo:
		p.Errors = adminFieldError("to", "admin.audit.date_invalid")
	case !from.IsZero() && !to.IsZero() && to.Before(from):
		p.Errors = adminFieldError("to", "admin.audit.range_invalid")
	}
	if p.Errors.Any() {
		s.render(w, r, http.StatusUnprocessableEntity, "admin_audit", "audit.title", p)
		return
	}
	f.From = from
	if !to.IsZero() {
		f.To = to.Add(24 * time.Hour)
	}
	if b, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && b > 0 {
		f.Before = b
	}
	entries, err := audit.List(r.Context(), s.DB, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Entries = entries
	if n := len(entries); n == adminAuditPageSize && entries[n-1].Seq > 1 {
		p.Older = adminAuditURL(form, entries[n-1].Seq)
	}
	if f.Before > 0 {
		p.Newest = adminAuditURL(form, 0)
	}
	s.render(w, r, http.StatusOK, "admin_audit", "audit.title", p)
}

// adminAuditURL is the address of the page of entries below seq (0: the newest) with the
// same filters.
func adminAuditURL(f adminAuditForm, before int64) string {
	v := url.Values{}
	for k, val := range map[string]string{"actor": f.Actor, "action": f.Action, "object": f.Object, "from": f.From, "to": f.To} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if before > 0 {
		v.Set("before", strconv.FormatInt(before, 10))
	}
	if len(v) == 0 {
		return "/admin/audit"
	}
	return "/admin/audit?" + v.Encode()
}
