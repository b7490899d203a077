package auth_test

import (
	"testing"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

func TestEndOtherSessions(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "phones@example.org"
		e.account(t, email, auth.RoleMember)
		here := e.signIn(t, email)
		laptop := e.signIn(t, email)
		phone := e.signIn(t, email)
		me := e.actorOf(t, here)

		n, err := e.svc.EndOtherSessions(e.ctx, me)
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("ended %d sessions, want 2", n)
		}
		if _, err := e.svc.Session(e.ctx, here.Token); err != nil {
			t.Errorf("the current session ended too: %v", err)
		}
		for _, g := range []auth.Grant{laptop, phone} {
			if _, err := e.svc.Session(e.ctx, g.Token); errs.CodeOf(err) != errs.CodeUnauthenticated {
				t.Errorf("another session still works: %v", err)
			}
		}
		if got := e.audit.find("auth.session.end_others"); len(got) != 1 || got[0].Detail != "ended=2" {
			t.Errorf("audit = %+v, want one entry with ended=2", got)
		}
		// Nobody signed in, or a session-less actor, ends nothing.
		for _, a := range []auth.Actor{auth.Public(), {Kind: auth.KindAccount, ID: me.ID}} {
			if _, err := e.svc.EndOtherSessions(e.ctx, a); errs.CodeOf(err) != errs.CodeUnauthenticated {
				t.Errorf("EndOtherSessions(%+v) = %v, want unauthenticated", a, err)
			}
		}
	})
}
