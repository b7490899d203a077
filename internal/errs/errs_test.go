package errs_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"solidarity/internal/errs"
)

func TestCodesAndStatuses(t *testing.T) {
	cases := []struct {
		err    error
		code   errs.Code
		status int
	}{
		{errs.Invalid("email", "people.email.invalid"), errs.CodeInvalid, 422},
		{errs.NotFound("x.not_found"), errs.CodeNotFound, 404},
		{errs.Conflict("x.exists"), errs.CodeConflict, 409},
		{errs.Forbidden(), errs.CodeForbidden, 403},
		{errs.Unauthenticated(), errs.CodeUnauthenticated, 401},
		{errs.Sealed(), errs.CodeSealed, 503},
		{errs.TooMany(), errs.CodeTooMany, 429},
		{errors.New("disk on fire"), errs.CodeInternal, 500},
		{fmt.Errorf("people: import row 41: %w", errs.Invalid("phone", "people.phone.invalid")), errs.CodeInvalid, 422},
	}
	for _, c := range cases {
		if got := errs.CodeOf(c.err); got != c.code {
			t.Errorf("CodeOf(%v) = %s, want %s", c.err, got, c.code)
		}
		if got := errs.CodeOf(c.err).HTTPStatus(); got != c.status {
			t.Errorf("status of %v = %d, want %d", c.err, got, c.status)
		}
	}
	if errs.CodeOf(nil) != "" {
		t.Error("nil error has a code")
	}
}

func TestIsAndFields(t *testing.T) {
	wrapped := fmt.Errorf("ctx: %w", errs.NotFound("people.person.not_found"))
	if !errors.Is(wrapped, errs.ErrNotFound) || errors.Is(wrapped, errs.ErrConflict) {
		t.Error("errors.Is by code does not work through wrapping")
	}
	var l errs.List
	if l.Err() != nil {
		t.Error("an empty list is an error")
	}
	l.Add("email", "people.email.invalid")
	l.Add("phone", "people.phone.invalid")
	err := fmt.Errorf("join: %w", l.Err())
	fields := errs.Fields(err)
	if len(fields) != 2 || fields[0].Field != "email" || fields[1].Key != "people.phone.invalid" {
		t.Errorf("Fields = %+v", fields)
	}
	if errs.CodeOf(err) != errs.CodeInvalid {
		t.Errorf("a list is invalid input, got %s", errs.CodeOf(err))
	}
	internal := errs.Internal(errors.New("secret cause"))
	if internal.Key != "error.internal" || !errors.Is(internal, internal.Cause) {
		t.Errorf("internal error: %+v", internal)
	}
}

func TestCoded(t *testing.T) {
	plain := errors.New("disk full")
	if errs.Coded(nil) != nil {
		t.Fatal("errs.Coded(nil) is not nil")
	}
	if e := errs.As(errs.Coded(plain)); e.Code != errs.CodeInternal || !errors.Is(errs.Coded(plain), plain) {
		t.Fatalf("an uncoded error became %+v", e)
	}
	nf := errs.NotFound("x.not_found")
	if errs.Coded(nf) != error(nf) {
		t.Fatal("a coded error was changed")
	}
	var l errs.List
	l.Add("email", "x.email")
	if got := errs.Coded(l.Err()); len(errs.Fields(got)) != 1 {
		t.Fatalf("a list lost its fields: %v", got)
	}
	if got := errs.Coded(fmt.Errorf("wrapped: %w", context.Canceled)); !errors.Is(got, context.Canceled) || errs.CodeOf(got) == errs.CodeInternal && errs.As(got).Cause == nil {
		t.Fatalf("cancellation became %v", got)
	}
}
