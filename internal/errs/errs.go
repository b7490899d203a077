// Package errs holds Solidarity's coded errors: a Code that says what kind of failure
// happened, a message key that users see translated, an optional field it belongs to, and
// the internal cause that only logs see. Services return them; web and api map them once.
package errs

import (
	"context"
	"errors"
	"fmt"
)

// Code classifies an error for callers; each maps to one HTTP status.
type Code string

// The codes every module uses.
const (
	CodeInvalid         Code = "invalid"
	CodeNotFound        Code = "not_found"
	CodeConflict        Code = "conflict"
	CodeForbidden       Code = "forbidden"
	CodeUnauthenticated Code = "unauthenticated"
	CodeSealed          Code = "sealed"
	CodeTooMany         Code = "too_many"
	CodeInternal        Code = "internal"
)

// Error is a coded error. Key is an i18n message key safe to show users; Field names the
// form field it concerns, if any; Cause is for logs only and never shown.
type Error struct {
	Code  Code
	Key   string
	Field string
	Cause error
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Key
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Cause }

// Is reports a match when target is an *Error with the same code (and key, when set), so
// that errors.Is(err, errs.ErrNotFound) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Code == e.Code && (t.Key == "" || t.Key == e.Key)
}

// Sentinels for errors.Is checks by code.
var (
	ErrNotFound  = &Error{Code: CodeNotFound}
	ErrSealed    = &Error{Code: CodeSealed}
	ErrForbidden = &Error{Code: CodeForbidden}
	ErrConflict  = &Error{Code: CodeConflict}
)

// Invalid reports bad input for field with a translated message key.
func Invalid(field, key string) *Error { return &Error{Code: CodeInvalid, Field: field, Key: key} }

// NotFound reports that the thing asked for does not exist (or is not visible to the caller).
func NotFound(key string) *Error { return &Error{Code: CodeNotFound, Key: key} }

// Conflict reports a clash with existing state, such as a duplicate.
func Conflict(key string) *Error { return &Error{Code: CodeConflict, Key: key} }

// Forbidden reports that the actor may not do this.
func Forbidden() *Error { return &Error{Code: CodeForbidden, Key: "error.forbidden"} }

// Unauthenticated reports that the actor must sign in first.
func Unauthenticated() *Error { return &Error{Code: CodeUnauthenticated, Key: "error.unauthenticated"} }

// Sealed reports that the vault is sealed, so sensitive data cannot be read or written.
func Sealed() *Error { return &Error{Code: CodeSealed, Key: "error.sealed"} }

// TooMany reports that a rate limit was reached.
func TooMany() *Error { return &Error{Code: CodeTooMany, Key: "error.too_many"} }

// Internal wraps an unexpected failure; users see a generic message, logs see cause.
func Internal(cause error) *Error {
	return &Error{Code: CodeInternal, Key: "error.internal", Cause: cause}
}

// Internalf wraps an unexpected failure with context, like fmt.Errorf with %w.
func Internalf(format string, args ...any) *Error {
	return Internal(fmt.Errorf(format, args...))
}

// Coded is what a service returns for err: nil for nil; coded errors (one or a List) and
// context cancellation as they are; anything else as an internal error, so that callers
// always get a coded error.
func Coded(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	var l List
	if errors.As(err, &l) || errors.As(err, &e) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return Internal(err)
}

// As returns err as a coded *Error; an uncoded error becomes an internal one.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}

// CodeOf returns the code of err, or CodeInternal for uncoded errors; "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	return As(err).Code
}

// List collects several field errors from one validation, so that a form can show every
// problem at once.
type List []*Error

// Add appends a field error.
func (l *List) Add(field, key string) { *l = append(*l, Invalid(field, key)) }

// Err returns nil when empty, or the list as an error.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

func (l List) Error() string {
	s := ""
	for i, e := range l {
		if i > 0 {
			s += "; "
		}
		s += e.Error()
	}
	return s
}

// Unwrap lets errors.As find the first error, so a List is treated as invalid input.
func (l List) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Fields returns the field errors of err: the list's items, or err itself when it is an
// invalid-input error with a field.
func Fields(err error) []*Error {
	var l List
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) && e.Code == CodeInvalid {
		return []*Error{e}
	}
	return nil
}

// HTTPStatus maps a code to its HTTP status, once for the web interface and the API.
func (c Code) HTTPStatus() int {
	switch c {
	case CodeInvalid:
		return 422
	case CodeNotFound:
		return 404
	case CodeConflict:
		return 409
	case CodeForbidden:
		return 403
	case CodeUnauthenticated:
		return 401
	case CodeSealed:
		return 503
	case CodeTooMany:
		return 429
	default:
		return 500
	}
}
