package app_test

import (
	"net/url"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/auth"
)

// Sessions end after their idle and absolute timeouts, shorter for roles that see
// sensitive data, and an ended session sends the person back to sign in.
func TestSessionExpiryThroughHTTP(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app.App) {
		now := time.Now()
		a.DB.Clock = func() time.Time { return now }

		account(t, a, "org@example.org", "Olga Ruiz", auth.RoleOrganizer)
		organizer := newVisitor(t, a, "192.0.2.10")
		organizer.signIn("org@example.org", passphrase, "/dashboard")

		account(t, a, "disp@example.org", "Diego Paz", auth.RoleDispatcher)
		dispatcher := newVisitor(t, a, "192.0.2.11")
		setup := dispatcher.follow(dispatcher.signIn("disp@example.org", passphrase, "/account/two-factor?next=%2Fdashboard"))
		secret := secretOn(t, setup)
		done := dispatcher.post("/account/two-factor", url.Values{"code": {codeAt(t, secret, 0)}})
		if done.Status != 200 && done.Status != 303 {
			t.Fatalf("enrolment: %d\n%s", done.Status, done.Body)
		}

		for _, v := range []*visitor{organizer, dispatcher} {
			if r := v.get("/dashboard"); r.Status != 200 {
				t.Fatalf("freshly signed in: %d", r.Status)
			}
		}

		// 31 minutes idle: the dispatcher's short session has ended, the organizer's not.
		now = now.Add(auth.SensitiveIdle + time.Minute)
		if r := dispatcher.get("/dashboard"); r.Status != 303 || r.Location != "/login?next=%2Fdashboard" {
			t.Errorf("dispatcher after %v idle: %d %q, want a redirect to sign in", auth.SensitiveIdle, r.Status, r.Location)
		}
		if r := organizer.get("/dashboard"); r.Status != 200 {
			t.Errorf("organizer after 31 minutes: %d, want still signed in", r.Status)
		}

		// Kept busy, the organizer's session still ends at its absolute limit.
		for elapsed := time.Duration(0); elapsed < auth.StandardAbsolute; elapsed += 6 * time.Hour {
			now = now.Add(6 * time.Hour)
			r := organizer.get("/dashboard")
			if elapsed+6*time.Hour+auth.SensitiveIdle+time.Minute < auth.StandardAbsolute && r.Status != 200 {
				t.Fatalf("organizer busy for %v: %d, want still signed in", elapsed, r.Status)
			}
		}
		if r := organizer.get("/dashboard"); r.Status != 303 {
			t.Errorf("organizer past the absolute limit: %d, want a redirect to sign in", r.Status)
		}
	})
}
