package auth_test

import (
	"testing"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
)

func TestSessionIdleAndAbsoluteExpiry(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.account(t, "idle@example.org", auth.RoleMember)

		// Idle: used within 8 hours it lives on; 8 hours untouched and it ends.
		g := e.signIn(t, "idle@example.org")
		e.clock.Advance(auth.StandardIdle - time.Minute)
		e.actorOf(t, g)
		e.clock.Advance(auth.StandardIdle - time.Minute)
		e.actorOf(t, g) // idle time counts from the last use
		e.clock.Advance(auth.StandardIdle + time.Second)
		_, err := e.svc.Session(e.ctx, g.Token)
		wantKey(t, err, errs.CodeUnauthenticated, "auth.session.expired")
		_, err = e.svc.Session(e.ctx, g.Token) // and it is gone, not just refused
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")

		// Absolute: used every 7 hours, it still ends 30 days after sign-in.
		g = e.signIn(t, "idle@example.org")
		start := e.clock.Now()
		for e.clock.Now().Add(7 * time.Hour).Before(start.Add(auth.StandardAbsolute)) {
			e.clock.Advance(7 * time.Hour)
			e.actorOf(t, g)
		}
		e.clock.Advance(start.Add(auth.StandardAbsolute).Sub(e.clock.Now()))
		_, err = e.svc.Session(e.ctx, g.Token)
		wantKey(t, err, errs.CodeUnauthenticated, "auth.session.expired")
	})
}

func TestSensitiveSessionsAreShort(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.account(t, "case@example.org", auth.RoleCaseworker)
		g := e.enrolTOTP(t, "case@example.org") // a full session after enrolling
		if want := e.clock.Now().Add(auth.SensitiveAbsolute); !g.ExpiresAt.Equal(want) {
			t.Fatalf("expires %v, want %v", g.ExpiresAt, want)
		}
		e.clock.Advance(auth.SensitiveIdle - time.Minute)
		e.actorOf(t, g)
		e.clock.Advance(auth.SensitiveIdle + time.Second)
		_, err := e.svc.Session(e.ctx, g.Token)
		wantKey(t, err, errs.CodeUnauthenticated, "auth.session.expired")
	})
}

func TestSessionTouchIsThrottled(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.account(t, "touch@example.org", auth.RoleMember)
		g := e.signIn(t, "touch@example.org")
		signedIn := e.clock.Now()
		lastSeen := func() time.Time {
			var ts time.Time
			if err := e.db.QueryRowContext(e.ctx, "SELECT last_seen_at FROM sessions").Scan(&ts); err != nil {
				t.Fatal(err)
			}
			return ts.UTC()
		}
		e.clock.Advance(30 * time.Second)
		e.actorOf(t, g)
		if got := lastSeen(); !got.Equal(signedIn) {
			t.Fatalf("touched after 30 s: last seen %v", got)
		}
		e.clock.Advance(31 * time.Second)
		e.actorOf(t, g)
		if got := lastSeen(); !got.Equal(e.clock.Now()) {
			t.Fatalf("not touched after 61 s: last seen %v, now %v", got, e.clock.Now())
		}
	})
}

func TestListAndEndSessions(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.account(t, "admin@example.org", auth.RoleAdministrator)
		member := e.account(t, "m@example.org", auth.RoleMember)
		other := e.account(t, "o@example.org", auth.RoleMember)
		phone := e.signIn(t, "m@example.org")
		e.clock.Advance(2 * time.Minute)
		laptop, err := e.svc.SignIn(e.ctx, "m@example.org", passwordFor("m@example.org"),
			auth.Client{Key: "laptop", Agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36"})
		if err != nil {
			t.Fatal(err)
		}
		me := e.actorOf(t, laptop)
		list, err := e.svc.ListSessions(e.ctx, me, member.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || !list[0].Current || list[0].Agent != "Chrome · Windows" || list[1].Current || list[1].Agent != "Firefox · Android" {
			t.Fatalf("sessions = %+v", list)
		}

		// Someone else's sessions are invisible to a member.
		otherG := e.signIn(t, "o@example.org")
		otherActor := e.actorOf(t, otherG)
		_, err = e.svc.ListSessions(e.ctx, me, other.ID)
		wantKey(t, err, errs.CodeForbidden, "error.forbidden")
		wantKey(t, e.svc.EndSession(e.ctx, me, otherActor.SessionID), errs.CodeNotFound, "auth.session.not_found")

		// One's own session ends.
		phoneActor := e.actorOf(t, phone)
		if err := e.svc.EndSession(e.ctx, me, phoneActor.SessionID); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Session(e.ctx, phone.Token)
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")

		// An administrator (sessions.manage) ends anyone's, and signs them out everywhere.
		adminActor := e.actorOf(t, e.enrolTOTP(t, "admin@example.org"))
		if err := e.svc.EndSession(e.ctx, adminActor, otherActor.SessionID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.EndAllSessions(e.ctx, adminActor, member.ID); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{otherG.Token, laptop.Token} {
			_, err = e.svc.Session(e.ctx, tok)
			wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")
		}
		if got := e.audit.find("auth.session.end_all"); len(got) != 1 || got[0].Actor != "account:"+itoa(admin.ID) {
			t.Fatalf("audit = %+v", got)
		}

		// Sign-out ends the session; a second sign-out is harmless.
		g := e.signIn(t, "m@example.org")
		if err := e.svc.SignOut(e.ctx, g.Token); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.SignOut(e.ctx, g.Token); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Session(e.ctx, g.Token)
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")
		_, err = e.svc.Session(e.ctx, "not a token")
		wantKey(t, err, errs.CodeUnauthenticated, "error.unauthenticated")
	})
}

func TestPurgeExpired(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.account(t, "purge@example.org", auth.RoleMember)
		e.signIn(t, "purge@example.org")
		live := e.signIn(t, "purge@example.org")
		e.clock.Advance(auth.StandardIdle - time.Minute)
		e.actorOf(t, live)
		e.clock.Advance(2 * time.Minute) // the first session is now idle past its limit
		n, err := e.svc.PurgeExpired(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		var left int
		if err := e.db.QueryRowContext(e.ctx, "SELECT COUNT(*) FROM sessions").Scan(&left); err != nil {
			t.Fatal(err)
		}
		if n != 1 || left != 1 {
			t.Fatalf("purged %d, %d left; want 1 and 1", n, left)
		}
		e.actorOf(t, live)
	})
}

// BenchmarkSessionLookup measures the hot path of every request: token to actor.
func BenchmarkSessionLookup(b *testing.B) {
	for _, dialect := range testkit.Dialects(b) {
		b.Run(string(dialect), func(b *testing.B) {
			e := newEnv(b, testkit.NewDB(b, dialect))
			e.account(b, "bench@example.org", auth.RoleMember)
			g := e.signIn(b, "bench@example.org")
			for b.Loop() {
				if _, err := e.svc.Session(e.ctx, g.Token); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
