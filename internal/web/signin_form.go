package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"solidarity/internal/errs"
	"solidarity/internal/ratelimit"
)

// formError is one problem with a submitted form, as the page shows it: a message key
// (with a count when the message has plural forms) and the id of the input it concerns,
// empty for a problem with the form as a whole.
type formError struct {
	Key   string
	Count int
	Input string
}

// form is a submitted form to show again: the values to keep (never a password or code)
// and its problems, for the summary at the top and next to each input.
type form struct {
	Name    string            // which form of the page failed, when a page has several
	Values  map[string]string // input name → value
	Errors  []formError
	inputs  map[string]string // service field → input id
	byInput map[string]formError
}

// newForm starts an empty form; inputs maps the field names services use in their errors
// to the ids of the inputs that hold them.
func newForm(name string, inputs map[string]string) *form {
	return &form{Name: name, Values: map[string]string{}, inputs: inputs, byInput: map[string]formError{}}
}

// Value returns a kept value, for templates.
func (f *form) Value(name string) string {
	if f == nil {
		return ""
	}
	return f.Values[name]
}

// Err returns the problem of an input (by id), or nil, for templates.
func (f *form) Err(input string) *formError {
	if f == nil {
		return nil
	}
	if e, ok := f.byInput[input]; ok {
		return &e
	}
	return nil
}

// Failed reports whether the form has problems.
func (f *form) Failed() bool { return f != nil && len(f.Errors) > 0 }

// problem adds one problem: field is a service field name ("" for the whole form).
func (f *form) problem(field, key string, count int) {
	e := formError{Key: key, Count: count, Input: f.inputs[field]}
	if e.Input != "" {
		if _, dup := f.byInput[e.Input]; dup {
			return
		}
		f.byInput[e.Input] = e
	}
	f.Errors = append(f.Errors, e)
}

// add records a service error: each field error next to its input, anything else (an
// error of the whole form) in the summary only.
func (f *form) add(err error) {
	fields := errs.Fields(err)
	if len(fields) == 0 {
		f.problem("", errs.As(err).Key, 0)
		return
	}
	for _, fe := range fields {
		f.problem(fe.Field, fe.Key, 0)
	}
}

// wait records that the client must wait before trying again, with the wait in words.
func (f *form) wait(retryAfter time.Duration) {
	key, count := ratelimit.WaitMessage(retryAfter)
	f.problem("", key, count)
}

// invalid reports whether err is bad input a form shows next to its inputs.
func invalid(err error) bool { return errs.CodeOf(err) == errs.CodeInvalid }

// unauthenticated reports whether err says the session is missing, ended or in the wrong
// sign-in step.
func unauthenticated(err error) bool { return errs.CodeOf(err) == errs.CodeUnauthenticated }

// errKey returns the message key of a coded error.
func errKey(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

// field returns a submitted form value with surrounding spaces trimmed. Passwords are read
// with r.PostFormValue directly: their spaces are part of them.
func field(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }

// windowLeft is how long until the fixed rate-limit window of length window ends. The
// limiter aligns its windows to the Unix epoch, so every node computes the same end; the
// sign-in service reports only that a client is over its budget, not for how long.
func windowLeft(now time.Time, window time.Duration) time.Duration {
	w := int64(window / time.Second)
	s := now.Unix()
	return time.Duration(w-s%w) * time.Second
}
