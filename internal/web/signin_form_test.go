package web

import (
	"testing"
	"time"

	"solidarity/internal/errs"
)

func TestFormKeepsProblemsByInput(t *testing.T) {
	cases := []struct {
		name    string
		err     error
		summary []formError
		inputs  map[string]string // input id → message key shown next to it
	}{
		{"field error lands next to its input", errs.Invalid("current", "auth.password.wrong"),
			[]formError{{Key: "auth.password.wrong", Input: "current-password"}},
			map[string]string{"current-password": "auth.password.wrong"}},
		{"every problem of a list, first one per input", errs.List{
			errs.Invalid("password", "auth.password.too_short"),
			errs.Invalid("password", "auth.password.common"),
			errs.Invalid("email", "auth.email.invalid"),
		}, []formError{{Key: "auth.password.too_short", Input: "new-password"}, {Key: "auth.email.invalid"}},
			map[string]string{"new-password": "auth.password.too_short"}},
		{"an error of the whole form goes to the summary only", errs.Conflict("auth.second_factor.required"),
			[]formError{{Key: "auth.second_factor.required"}}, map[string]string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newForm("password", map[string]string{"current": "current-password", "password": "new-password"})
			f.add(tc.err)
			if !f.Failed() {
				t.Fatal("form with an error does not say it failed")
			}
			if len(f.Errors) != len(tc.summary) {
				t.Fatalf("summary = %+v, want %+v", f.Errors, tc.summary)
			}
			for i, want := range tc.summary {
				if f.Errors[i] != want {
					t.Errorf("summary[%d] = %+v, want %+v", i, f.Errors[i], want)
				}
			}
			for _, id := range []string{"current-password", "new-password"} {
				got := ""
				if e := f.Err(id); e != nil {
					got = e.Key
				}
				if got != tc.inputs[id] {
					t.Errorf("problem next to %s = %q, want %q", id, got, tc.inputs[id])
				}
			}
		})
	}
	var none *form
	if none.Failed() || none.Err("x") != nil || none.Value("x") != "" {
		t.Error("a nil form must read as empty")
	}
}

func TestFormWaitMessage(t *testing.T) {
	f := newForm("login", nil)
	f.wait(4*time.Minute + 10*time.Second)
	if len(f.Errors) != 1 || f.Errors[0].Key != "ratelimit.wait_minutes" || f.Errors[0].Count != 5 {
		t.Errorf("wait problem = %+v, want ratelimit.wait_minutes with 5", f.Errors)
	}
}

func TestWindowLeft(t *testing.T) {
	window := 15 * time.Minute
	cases := []struct {
		now  time.Time
		want time.Duration
	}{
		{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), 15 * time.Minute},
		{time.Date(2026, 3, 2, 9, 14, 30, 0, time.UTC), 30 * time.Second},
		{time.Date(2026, 3, 2, 9, 7, 0, 0, time.UTC), 8 * time.Minute},
	}
	for _, tc := range cases {
		if got := windowLeft(tc.now, window); got != tc.want {
			t.Errorf("windowLeft(%s) = %s, want %s", tc.now.Format("15:04:05"), got, tc.want)
		}
	}
}

func TestGroupSecret(t *testing.T) {
	cases := map[string]string{
		"":                                 "",
		"ABCD":                             "ABCD",
		"ABCDEFGH":                         "ABCD EFGH",
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567": "ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567",
		"ABCDE":                            "ABCD E",
	}
	for in, want := range cases {
		if got := groupSecret(in); got != want {
			t.Errorf("groupSecret(%q) = %q, want %q", in, got, want)
		}
	}
}
