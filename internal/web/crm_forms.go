package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"solidarity/internal/errs"
)

// crmErrors are the field errors of a CRM form: the administration pages' summary and
// messages (the "admin-errors" partial), and the attributes that tie an input to its
// message.
type crmErrors struct{ adminErrors }

// Attr returns the attributes of the input of field: aria-invalid and aria-describedby
// pointing at its message (id "f-<field>-error") when it has an error, else nothing.
// Field names come from the templates, never from input.
func (e crmErrors) Attr(field string) template.HTMLAttr {
	if e.For(field) == "" {
		return ""
	}
	return template.HTMLAttr(` aria-invalid="true" aria-describedby="f-` + field + `-error"`)
}

// AttrHint is Attr for an input that also has a hint (id "f-<field>-hint"), which it is
// always described by.
func (e crmErrors) AttrHint(field string) template.HTMLAttr {
	if e.For(field) == "" {
		return template.HTMLAttr(` aria-describedby="f-` + field + `-hint"`)
	}
	return template.HTMLAttr(` aria-invalid="true" aria-describedby="f-` + field + `-hint f-` + field + `-error"`)
}

// crmFieldError is one field error made by a handler while reading a form.
func crmFieldError(field, key string) crmErrors {
	return crmErrors{adminFieldError(field, key)}
}

// crmInvalid returns the field errors of err that a CRM form shows next to its fields,
// with the status to answer: 422 for invalid input, 409 for a conflict on a field (an
// e-mail or phone that belongs to someone else, a segment name taken). ok is false for
// any other error, which becomes an error page.
func crmInvalid(err error, rename map[string]string) (crmErrors, int, bool) {
	if fe, ok := adminInvalid(err, rename); ok {
		return crmErrors{fe}, http.StatusUnprocessableEntity, true
	}
	var e *errs.Error
	if errors.As(err, &e) && e.Code == errs.CodeConflict && e.Field != "" {
		c := *e
		if to, ok := rename[c.Field]; ok {
			c.Field = to
		}
		return crmErrors{adminErrors{list: []*errs.Error{&c}}}, http.StatusConflict, true
	}
	return crmErrors{}, 0, false
}

// crmPathID reads a numeric path wildcard; anything else is a 404, the same answer as an
// id that does not exist.
func crmPathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFound("error.not_found")
	}
	return id, nil
}

// crmID reads an optional numeric form or query value: 0 when empty or malformed.
func crmID(v string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// crmPersonURL is the address of a person's page.
func crmPersonURL(id int64) string { return "/people/" + strconv.FormatInt(id, 10) }

// crmSplit cuts a list typed into one box (tags, states, ZIP codes) at commas, semicolons
// and line breaks, trimming each item and dropping empty ones.
func crmSplit(v string, seps string) []string {
	var out []string
	for _, item := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// crmListSeps separate the items of a typed list.
const crmListSeps = ",;\n\r"

// crmConfirm is the page that asks before a CRM action that is hard to undo.
type crmConfirm struct {
	Heading string // message key of the question
	Message string // message key of what will happen
	Name    string // who or what it is about
	Action  string // where the confirmed form posts
	Hidden  []crmHidden
	Button  string // message key of the button
	Cancel  string // where "cancel" goes
}

// crmHidden is a form value the confirmation step posts again.
type crmHidden struct{ Name, Value string }

// renderConfirm shows a confirmation page.
func (s *Server) renderConfirm(w http.ResponseWriter, r *http.Request, c crmConfirm) {
	s.render(w, r, http.StatusOK, "crm_confirm", c.Heading, c)
}

// crmQueryURL is path with the non-empty values as its query.
func crmQueryURL(path string, values map[string]string) string {
	v := url.Values{}
	for k, val := range values {
		if val != "" {
			v.Set(k, val)
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}
