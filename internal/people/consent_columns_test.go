package people

import (
	"context"
	"fmt"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/testkit"
)

// CountQuery is the query a count of the filter runs (countSQL), for the plan tests.
func CountQuery(ctx context.Context, q db.Queryer, f Filter) (string, []any, error) {
	if err := f.Validate(); err != nil {
		return "", nil, err
	}
	c, err := compile(ctx, q, f)
	if err != nil {
		return "", nil, err
	}
	return c.countSQL(ctx, q)
}

// consentDrift lists the people whose email_consent or sms_consent (SQLite, migration
// 00015) differs from their consents; PostgreSQL has no such columns.
func consentDrift(t testing.TB, d *db.DB) []string {
	t.Helper()
	if d.Dialect() != db.SQLite {
		return nil
	}
	var out []string
	err := eachRow(context.Background(), d, `SELECT p.id, p.email_consent, p.sms_consent,
		COALESCE((SELECT status FROM consents WHERE person_id = p.id AND channel = 'email'), ''),
		COALESCE((SELECT status FROM consents WHERE person_id = p.id AND channel = 'sms'), '')
		FROM people p ORDER BY p.id`, nil, func(scan func(...any) error) error {
		var id int64
		var email, sms, wantEmail, wantSMS string
		if err := scan(&id, &email, &sms, &wantEmail, &wantSMS); err != nil {
			return err
		}
		if email != wantEmail || sms != wantSMS {
			out = append(out, fmt.Sprintf("person %d: row %q/%q, consents %q/%q", id, email, sms, wantEmail, wantSMS))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestConsentColumnsFollowConsents checks that the people row's consent columns stay
// exact through every way a consent is written, moved or removed, and that segment counts
// agree with the consents table all along.
func TestConsentColumnsFollowConsents(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		now := time.Now()
		d.Clock = func() time.Time { return now }
		tick := func() { now = now.Add(time.Minute) }
		check := func(when string) {
			t.Helper()
			if drift := consentDrift(t, d); len(drift) > 0 {
				t.Errorf("%s: %v", when, drift)
			}
			for _, f := range []Filter{
				{Languages: []string{"es"}, Consent: []ConsentRule{{Channel: ChannelEmail, Statuses: []ConsentStatus{ConsentGranted}}}},
				{States: []string{"TX"}, Consent: []ConsentRule{{Channel: ChannelSMS, Statuses: []ConsentStatus{ConsentRevoked, ConsentNone}}}},
				{Languages: []string{"en", "es"}, Consent: []ConsentRule{{Channel: ChannelEmail, Statuses: []ConsentStatus{ConsentNone}}}},
			} {
				got, err := h.s.Count(ctx, organizer, f)
				if want := consentsCount(t, d, f); err != nil || got != want {
					t.Errorf("%s: count %+v = %d, %v; the consents table says %d", when, f, got, err, want)
				}
			}
		}
		ana := h.mustCreate(t, PersonInput{GivenName: "Ana", Emails: []string{"ana@example.org"}, Phones: []string{"512 555 0101"},
			Address: Address{State: "TX"}, Language: "es"})
		bea := h.mustCreate(t, PersonInput{GivenName: "Bea", Emails: []string{"bea@example.org"}, Address: Address{State: "TX"}, Language: "es"})
		check("created")

		for _, st := range []ConsentStatus{ConsentPending, ConsentGranted, ConsentGranted, ConsentRevoked} {
			tick()
			if err := h.s.SetConsent(ctx, organizer, ana.ID, ChannelEmail, st); err != nil {
				t.Fatal(err)
			}
			check("staff set e-mail " + string(st))
		}
		if err := h.s.SetConsent(ctx, organizer, ana.ID, ChannelSMS, ConsentGranted); err != nil {
			t.Fatal(err)
		}
		check("staff set SMS")

		// Join, then the confirmation link.
		if _, err := h.s.Join(ctx, JoinRequest{GivenName: "Cruz", Email: "cruz@example.org", Phone: "512 555 0103", Language: "es",
			EmailOptIn: true, SMSOptIn: true}); err != nil {
			t.Fatal(err)
		}
		check("joined")
		mail := h.mail.sent()
		if _, err := h.s.ConfirmEmail(ctx, tokenIn(t, mail[len(mail)-1], ConfirmPath)); err != nil {
			t.Fatal(err)
		}
		check("confirmed")

		// The member's own page: opting in, then out.
		if err := h.s.RequestSignInLink(ctx, "bea@example.org"); err != nil {
			t.Fatal(err)
		}
		mail = h.mail.sent()
		sess, err := h.s.SignIn(ctx, tokenIn(t, mail[len(mail)-1], SignInPath))
		if err != nil {
			t.Fatal(err)
		}
		own := OwnDetails{GivenName: "Bea", Phone: "512 555 0102", Address: Address{State: "TX"}, Language: "es", EmailOptIn: true, SMSOptIn: true}
		if _, err := h.s.UpdateOwnDetails(ctx, sess.Token, own); err != nil {
			t.Fatal(err)
		}
		check("opted in")
		own.EmailOptIn, own.SMSOptIn = false, false
		if _, err := h.s.UpdateOwnDetails(ctx, sess.Token, own); err != nil {
			t.Fatal(err)
		}
		check("opted out")

		// STOP by text message.
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			_, err := h.s.OptOutSMS(ctx, tx, "512 555 0101")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		check("STOP")

		// A partner's API call.
		if _, err := h.s.UpsertWithConsent(ctx, organizer, PersonInput{GivenName: "Dora", Emails: []string{"dora@example.org"}, Language: "es",
			Address: Address{State: "TX"}}, []ConsentClaim{{Channel: ChannelEmail, Address: "dora@example.org", Status: ConsentGranted}}); err != nil {
			t.Fatal(err)
		}
		check("API")

		// An import: new people with consent, and a change for someone known.
		runNow(t, h, upload(t, h, "an.csv", "email,first name,language,state,email_consent\n"+
			"eva@example.org,Eva,es,TX,yes\nfe@example.org,Fe,es,TX,no\nana@example.org,Ana,,,yes\n").ID, ImportOptions{})
		check("imported")

		// Merge: the newer decision on each channel wins, the other person's rows go.
		tick()
		lose := h.mustCreate(t, PersonInput{GivenName: "Bea", Emails: []string{"bea2@example.org"}, Address: Address{State: "TX"}, Language: "es"})
		if err := h.s.SetConsent(ctx, organizer, lose.ID, ChannelEmail, ConsentGranted); err != nil {
			t.Fatal(err)
		}
		if err := h.s.SetConsent(ctx, organizer, lose.ID, ChannelSMS, ConsentPending); err != nil {
			t.Fatal(err)
		}
		check("before merge")
		if _, err := h.s.Merge(ctx, organizer, bea.ID, lose.ID); err != nil {
			t.Fatal(err)
		}
		check("merged")

		if err := h.s.Delete(ctx, organizer, ana.ID); err != nil {
			t.Fatal(err)
		}
		check("deleted")

		// Writes no service makes today: a consent moved to another person or channel,
		// removed, replaced.
		var cruz int64
		if err := d.QueryRowContext(ctx, "SELECT person_id FROM person_emails WHERE email = 'cruz@example.org'").Scan(&cruz); err != nil {
			t.Fatal(err)
		}
		gil := h.mustCreate(t, PersonInput{GivenName: "Gil", Address: Address{State: "TX"}, Language: "es"})
		for _, step := range []struct {
			what  string
			query string
			args  []any
		}{
			{"moved to another person", "UPDATE consents SET person_id = ? WHERE person_id = ? AND channel = 'email'", []any{gil.ID, cruz}},
			{"moved to another channel", "UPDATE consents SET channel = 'sms' WHERE person_id = ? AND channel = 'email'", []any{gil.ID}},
			{"method changed", "UPDATE consents SET method = 'staff'", nil},
			{"removed", "DELETE FROM consents WHERE person_id = ? AND channel = 'sms'", []any{cruz}},
			{"written again", "INSERT INTO consents (person_id, channel, status, method, at) VALUES (?, 'email', 'pending', 'staff', ?)", []any{cruz, now}},
		} {
			if _, err := d.ExecContext(ctx, step.query, step.args...); err != nil {
				t.Fatalf("%s: %v", step.what, err)
			}
			check(step.what)
		}
		if err := h.s.Leave(ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		check("left")
	})
}

// TestConsentColumnsBulkLooksOnly checks that consents inserted for people whose row
// already carries them (as an import writes them) leave the people rows unwritten, and
// that changes of method or time do too.
func TestConsentColumnsBulkLooksOnly(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	ctx := context.Background()
	now := d.Now()
	const n = 300
	var people, consents []any
	for i := 1; i <= n; i++ {
		email, sms := []string{"", "pending", "granted", "revoked"}[i%4], []string{"", "granted", "revoked"}[i%3]
		people = append(people, i, fmt.Sprintf("person %d", i), email, sms, "import", now, now, now)
		for ch, st := range map[Channel]string{ChannelEmail: email, ChannelSMS: sms} {
			if st != "" {
				consents = append(consents, i, string(ch), st, string(MethodImport), now)
			}
		}
	}
	changes := func(tx *db.Tx) int {
		t.Helper()
		var c int
		if err := tx.QueryRowContext(ctx, "SELECT total_changes()").Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	err := d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO people (id, name_key, email_consent, sms_consent, created_via, created_at, updated_at, last_active_at) VALUES "+
			values(n, 8), people...); err != nil {
			return err
		}
		before := changes(tx)
		res, err := tx.ExecContext(ctx, "INSERT INTO consents (person_id, channel, status, method, at) VALUES "+values(len(consents)/5, 5), consents...)
		if err != nil {
			return err
		}
		inserted, _ := res.RowsAffected()
		if got := changes(tx) - before; got != int(inserted) {
			t.Errorf("%d consents inserted for people who carry them changed %d rows; the people rows must stay unwritten", inserted, got)
		}
		before = changes(tx)
		if _, err := tx.ExecContext(ctx, "UPDATE consents SET method = 'staff', at = ?", now.Add(time.Hour)); err != nil {
			return err
		}
		if got := changes(tx) - before; got != int(inserted) {
			t.Errorf("a change of method and time over %d consents changed %d rows", inserted, got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if drift := consentDrift(t, d); len(drift) > 0 {
		t.Error(drift)
	}
}

// values is the VALUES list of rows of n placeholders each.
func values(rows, n int) string {
	s := ""
	for i := 0; i < rows; i++ {
		if i > 0 {
			s += ", "
		}
		s += "(" + placeholders(n) + ")"
	}
	return s
}

// consentsCount counts the filter's people (languages, states, consent) from the consents
// table itself, the reference for the counts that read the people row's columns.
func consentsCount(t testing.TB, d *db.DB, f Filter) int {
	t.Helper()
	where, args := ConsentsReference(f)
	var n int
	if err := d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM people p WHERE "+where, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// ConsentsReference writes the filter's languages, states, tags and consent rules as a
// condition on people p that reads consents itself (nothing recorded is "none"), for
// tests to count against.
func ConsentsReference(f Filter) (string, []any) {
	where, args := "1=1", []any{}
	if len(f.Languages) > 0 {
		where += " AND p.language IN (" + placeholders(len(f.Languages)) + ")"
		args = append(args, anySlice(f.Languages)...)
	}
	if len(f.States) > 0 {
		where += " AND p.state IN (" + placeholders(len(f.States)) + ")"
		args = append(args, anySlice(f.States)...)
	}
	tagSets := [][]string{f.Tags}
	if f.AllTags {
		tagSets = nil
		for _, tag := range f.Tags {
			tagSets = append(tagSets, []string{tag})
		}
	}
	for _, tags := range tagSets {
		if len(tags) == 0 {
			continue
		}
		where += " AND EXISTS (SELECT 1 FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.person_id = p.id AND t.name_key IN (" +
			placeholders(len(tags)) + "))"
		for _, tag := range tags {
			args = append(args, Fold(tag))
		}
	}
	for _, r := range f.Consent {
		if len(r.Statuses) == 0 {
			continue
		}
		where += " AND COALESCE((SELECT status FROM consents WHERE person_id = p.id AND channel = ?), 'none') IN (" + placeholders(len(r.Statuses)) + ")"
		args = append(append(args, string(r.Channel)), anySlice(r.Statuses)...)
	}
	return where, args
}
