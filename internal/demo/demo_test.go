package demo_test

import (
	"testing"

	"solidarity/internal/auth"
	"solidarity/internal/demo"
)

// The demo password must pass the real password rules, or the demo would not load.
func TestDemoPasswordIsAcceptable(t *testing.T) {
	for _, a := range demo.Accounts {
		if err := auth.CheckPassword(demo.Password, auth.Personal{Email: a.Email, Name: a.Name}); err != nil {
			t.Errorf("%s: %v", a.Email, err)
		}
	}
}
