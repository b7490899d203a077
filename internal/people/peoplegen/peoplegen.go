// Package peoplegen writes realistic synthetic people into a Solidarity database for
// benchmarks and demos: Spanish and English names (some compound, some near-duplicates),
// e-mails, phones, addresses in real US regions, languages, tags, consent, memberships and
// organization affiliations, created over five years. It writes straight to the people
// tables in big transactions (four to seven minutes per million, SQLite or PostgreSQL, on
// a shared two-core machine) and touches nothing else. Every value is made up; none is a
// real person's.
package peoplegen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/people"
)

// Stats says what Generate wrote.
type Stats struct {
	People        int
	Organizations int
	Took          time.Duration
}

// batch is how many people one transaction writes.
const batch = 10000

// Generate adds n synthetic people (and, the first time, three membership tiers and 300
// organizations). The same n on an empty database always writes the same people (a fixed
// seed); calling it again adds more, with addresses numbered after the existing ones.
func Generate(ctx context.Context, d *db.DB, n int) (Stats, error) {
	start := time.Now()
	var st Stats
	var existing int
	if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM people").Scan(&existing); err != nil {
		return st, fmt.Errorf("peoplegen: count: %w", err)
	}
	g := &gen{rng: rand.New(rand.NewPCG(42, uint64(existing))), offset: existing, now: d.Now()}
	if err := d.InTx(ctx, func(tx *db.Tx) error { return g.setup(ctx, tx, &st) }); err != nil {
		return st, err
	}
	for done := 0; done < n; {
		size := min(batch, n-done)
		if err := d.InTx(ctx, func(tx *db.Tx) error { return g.people(ctx, tx, done, size) }); err != nil {
			return st, err
		}
		done += size
		st.People = done
	}
	// Fresh statistics for the planners; on PostgreSQL also the visibility map, without
	// which index-only scans (every count) visit the table.
	analyze := "ANALYZE"
	if d.Dialect() == db.Postgres {
		analyze = "VACUUM ANALYZE people, person_terms, person_emails, person_phones, person_tags, tags, consents, memberships, affiliations, organizations"
	}
	if _, err := d.ExecContext(ctx, analyze); err != nil {
		return st, fmt.Errorf("peoplegen: %s: %w", analyze, err)
	}
	st.Took = time.Since(start)
	return st, nil
}

type gen struct {
	rng    *rand.Rand
	offset int
	now    time.Time
	tiers  []int64
	orgs   []int64
	tags   []int64
	prev   []prior // recent people, for near-duplicates
}

type prior struct {
	given, family string
	r             region
	zip           string
}

// setup creates the tiers, organizations and tags the people refer to, once.
func (g *gen) setup(ctx context.Context, tx *db.Tx, st *Stats) error {
	var have int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM membership_tiers").Scan(&have); err != nil {
		return err
	}
	if have == 0 {
		for _, t := range []struct {
			en, es, period string
			cents          int64
		}{{"Member", "Miembro", "free", 0}, {"Sustaining member", "Miembro sostenedor", "monthly", 1000}, {"Yearly member", "Miembro anual", "yearly", 5000}} {
			if _, err := tx.Insert(ctx, `INSERT INTO membership_tiers (name_en, name_es, amount_cents, currency, period, active, position, created_at, updated_at)
				VALUES (?, ?, ?, 'USD', ?, TRUE, 0, ?, ?)`, t.en, t.es, t.cents, t.period, tx.Now, tx.Now); err != nil {
				return fmt.Errorf("peoplegen: tier: %w", err)
			}
		}
		kinds := []string{"member", "partner", "ally", "international", "funder"}
		for i := 0; i < 300; i++ {
			r := regions[i%len(regions)]
			name := fmt.Sprintf("%s %s %d", orgWords[i%len(orgWords)], r.city, i+1)
			if _, err := tx.Insert(ctx, `INSERT INTO organizations (name, name_key, kind, region, country, website, directory_listed,
				directory_consent_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'US', '', ?, ?, ?, ?)`,
				name, people.Fold(name), kinds[i%len(kinds)], r.state, i%3 == 0, consentAt(i%3 == 0, tx.Now), tx.Now, tx.Now); err != nil {
				return fmt.Errorf("peoplegen: organization: %w", err)
			}
			st.Organizations++
		}
		for _, t := range tagNames {
			if _, err := tx.ExecContext(ctx, "INSERT INTO tags (name, name_key, created_at) VALUES (?, ?, ?) ON CONFLICT (name_key) DO NOTHING",
				t.name, people.Fold(t.name), tx.Now); err != nil {
				return fmt.Errorf("peoplegen: tag: %w", err)
			}
		}
	}
	load := func(q string, dst *[]int64) error {
		rows, err := tx.QueryContext(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			*dst = append(*dst, id)
		}
		return rows.Err()
	}
	if err := load("SELECT id FROM membership_tiers ORDER BY id", &g.tiers); err != nil {
		return fmt.Errorf("peoplegen: tiers: %w", err)
	}
	if err := load("SELECT id FROM organizations ORDER BY id", &g.orgs); err != nil {
		return fmt.Errorf("peoplegen: organizations: %w", err)
	}
	for _, t := range tagNames {
		var id int64
		if err := tx.QueryRowContext(ctx, "SELECT id FROM tags WHERE name_key = ?", people.Fold(t.name)).Scan(&id); err != nil {
			return fmt.Errorf("peoplegen: tag id: %w", err)
		}
		g.tags = append(g.tags, id)
	}
	return nil
}

func consentAt(listed bool, now time.Time) any {
	if listed {
		return now
	}
	return nil
}

// people writes size people numbered from done in one transaction.
func (g *gen) people(ctx context.Context, tx *db.Tx, done, size int) error {
	// On SQLite the people row carries each person's consent (migration 00015): written with
	// the person, the consents inserted below find it there and leave the row alone, where
	// the triggers would otherwise update most rows a second time.
	carried := tx.Dialect() == db.SQLite
	cols, marks := "", ""
	if carried {
		cols, marks = ", email_consent, sms_consent", ", ?, ?"
	}
	q := `INSERT INTO people (given_name, family_name, name_key, sound_key, email, phone, street, street2, city, state, county, zip,
		country, language, notes, created_via, created_at, updated_at, last_active_at` + cols + `)
		VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, 'US', ?, '', 'import', ?, ?, ?` + marks + `) RETURNING id`
	if tx.Dialect() == db.Postgres {
		q = db.Rebind(q)
	}
	ins, err := tx.SQL().PrepareContext(ctx, q)
	if err != nil {
		return fmt.Errorf("peoplegen: prepare: %w", err)
	}
	defer ins.Close()
	var emails, phones, terms, tags, consents, members, affs []any
	for i := 0; i < size; i++ {
		seq := g.offset + done + i
		p := g.person(seq)
		var id int64
		args := []any{p.given, p.family, p.nameKey, p.sound, p.email, p.phone, p.street, p.r.city, p.r.state,
			p.r.county, p.zip, p.lang, p.created, p.active, p.active}
		if carried {
			args = append(args, p.consentOn("email"), p.consentOn("sms"))
		}
		if err := ins.QueryRowContext(ctx, args...).Scan(&id); err != nil {
			return fmt.Errorf("peoplegen: person %d: %w", seq, err)
		}
		emails = append(emails, p.email, id, true, p.created)
		if p.phone != "" {
			phones = append(phones, p.phone, id, true, p.created)
		}
		for _, t := range p.words {
			terms = append(terms, t, id)
		}
		for _, t := range p.tags {
			tags = append(tags, g.tags[t], id)
		}
		for _, c := range p.consent {
			consents = append(consents, id, c.channel, c.status, c.method, c.at)
		}
		if p.tier != 0 {
			members = append(members, id, p.tier, p.mstatus, p.created, p.expires, p.active)
		}
		if p.org != 0 {
			affs = append(affs, p.org, id, p.role, p.role == "Coordinator", p.created)
		}
	}
	for _, b := range []struct {
		prefix string
		n      int
		vals   []any
	}{
		{"INSERT INTO person_emails (email, person_id, is_primary, created_at) VALUES ", 4, emails},
		{"INSERT INTO person_phones (phone, person_id, is_primary, created_at) VALUES ", 4, phones},
		{"INSERT INTO person_terms (term, person_id) VALUES ", 2, terms},
		{"INSERT INTO person_tags (tag_id, person_id) VALUES ", 2, tags},
		{"INSERT INTO consents (person_id, channel, status, method, at) VALUES ", 5, consents},
		{"INSERT INTO memberships (person_id, tier_id, status, started_at, expires_at, updated_at) VALUES ", 6, members},
		{"INSERT INTO affiliations (organization_id, person_id, role, contact, created_at) VALUES ", 5, affs},
	} {
		if err := bulk(ctx, tx, b.prefix, b.n, b.vals); err != nil {
			return err
		}
	}
	return nil
}

// consentOn is the person's consent status on channel, "" when none.
func (p fake) consentOn(channel string) string {
	for _, c := range p.consent {
		if c.channel == channel {
			return c.status
		}
	}
	return ""
}

// bulk inserts rows of n values, several hundred rows a statement.
func bulk(ctx context.Context, tx *db.Tx, prefix string, n int, vals []any) error {
	per := 6000 / n
	group := "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
	for len(vals) > 0 {
		rows := min(per, len(vals)/n)
		q := prefix + strings.TrimSuffix(strings.Repeat(group+", ", rows), ", ")
		if _, err := tx.ExecContext(ctx, q, vals[:rows*n]...); err != nil {
			return fmt.Errorf("peoplegen: %s: %w", strings.Fields(prefix)[2], err)
		}
		vals = vals[rows*n:]
	}
	return nil
}
