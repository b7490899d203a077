package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/audit"
	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

// adminErrors are the field errors of a form sent back to its page: a summary at the top
// and each message next to its field.
type adminErrors struct {
	list []*errs.Error
}

// adminInvalid returns err's field errors, and whether err is invalid input that the form
// should show (status 422) rather than an error page. rename maps a service's field name
// to the form's (retention's "after" is the form's "days").
func adminInvalid(err error, rename map[string]string) (adminErrors, bool) {
	fields := errs.Fields(err)
	if len(fields) == 0 {
		return adminErrors{}, false
	}
	out := make([]*errs.Error, 0, len(fields))
	for _, f := range fields {
		c := *f
		if to, ok := rename[c.Field]; ok {
			c.Field = to
		}
		out = append(out, &c)
	}
	return adminErrors{list: out}, true
}

// adminFieldError is one field error made by a handler while reading a form.
func adminFieldError(field, key string) adminErrors {
	return adminErrors{list: []*errs.Error{errs.Invalid(field, key)}}
}

// Any reports whether there is an error to show.
func (e adminErrors) Any() bool { return len(e.list) > 0 }

// List returns the errors in the order the service reported them, for the summary.
func (e adminErrors) List() []*errs.Error { return e.list }

// For returns the message key of field's first error, or "".
func (e adminErrors) For(field string) string {
	for _, f := range e.list {
		if f.Field == field {
			return f.Key
		}
	}
	return ""
}

// adminPathID reads the numeric {id} of the path; anything else is a 404, the same answer
// as an id that does not exist.
func adminPathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFound("error.not_found")
	}
	return id, nil
}

// adminConfirmed reports whether a form came from the confirmation step.
func adminConfirmed(r *http.Request) bool { return r.PostFormValue("confirm") == "yes" }

// adminConfirm is the page that asks before an action that is hard to undo.
type adminConfirm struct {
	Heading string // message key of the question
	Message string // message key of what will happen
	Name    string // what it is about (an account's name), or ""
	Action  string // where the confirmed form posts
	Button  string // message key of the button
	Cancel  string // where "cancel" goes
}

// adminRecord writes an audit entry for something the actor did that the service behind
// it does not audit itself (the vault, running retention now, reading a delivery).
func (s *Server) adminRecord(ctx context.Context, a auth.Actor, action, object, detail string) error {
	err := audit.RecordNow(ctx, s.DB, audit.Entry{Actor: a.Label(), ActorName: a.Name, Action: action, Object: object, Detail: detail})
	if err != nil {
		return errs.Internalf("web: audit %s: %w", action, err)
	}
	return nil
}

// adminDateLayout is how date inputs (<input type=date>) send their value.
const adminDateLayout = "2006-01-02"

// adminParseDate reads an optional YYYY-MM-DD date as midnight UTC; the zero time when
// empty.
func adminParseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(adminDateLayout, v)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}
