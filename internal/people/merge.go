package people

import (
	"context"
	"fmt"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Merge folds person lose into person keep and deletes lose, in one transaction, audited.
// Nothing is lost: e-mails, phones, tags, affiliations, custom field values, timeline
// entries and other modules' rows (through OnMerge hooks) move to keep; for each channel
// the most recent consent decision wins; keep's own values win where both have one and
// lose's fill the gaps; notes are joined; the earlier creation and later activity times
// are kept; of two memberships the one standing best (active, then grace, pending, lapsed,
// cancelled; then the later expiry) stays.
func (s *Service) Merge(ctx context.Context, actor auth.Actor, keep, lose int64) (Person, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return Person{}, err
	}
	if keep == lose {
		return Person{}, errs.Invalid("lose", "people.merge.same")
	}
	err := s.inTx(ctx, func(tx *db.Tx) error {
		k, err := loadPerson(ctx, tx, keep)
		if err != nil {
			return err
		}
		l, err := loadPerson(ctx, tx, lose)
		if err != nil {
			return err
		}
		if err := s.mergeRows(ctx, tx, k, l); err != nil {
			return err
		}
		for _, h := range s.hooks {
			if err := h(ctx, tx, keep, lose); err != nil {
				return fmt.Errorf("people: merge hook: %w", err)
			}
		}
		if err := deletePerson(ctx, tx, lose); err != nil {
			return err
		}
		if err := s.AddEvent(ctx, tx, keep, NewEvent{Kind: "person.merged", SummaryKey: "people.timeline.merged",
			Data: map[string]any{"merged": lose}, Source: "people"}); err != nil {
			return err
		}
		return record(ctx, tx, actor, "people.merge", personObject(keep), fmt.Sprintf(`{"merged":%d}`, lose))
	})
	if err != nil {
		return Person{}, err
	}
	p, err := loadPerson(ctx, s.db, keep)
	return p, coded(err)
}

// mergeRows moves everything of l onto k (the people rows themselves stay; the caller
// deletes l).
func (s *Service) mergeRows(ctx context.Context, tx *db.Tx, k, l Person) error {
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	in := inputOf(k)
	fill(&in.GivenName, l.GivenName)
	fill(&in.FamilyName, l.FamilyName)
	// Lose's street address fills keep's when keep has none, unless it lies in another ZIP.
	if in.Address.Street == "" && in.Address.City == "" && (in.Address.ZIP == "" || in.Address.ZIP == l.Address.ZIP) {
		in.Address.Street, in.Address.Street2, in.Address.City, in.Address.ZIP = l.Address.Street, l.Address.Street2, l.Address.City, l.Address.ZIP
	}
	fill(&in.Address.State, l.Address.State)
	fill(&in.Address.County, l.Address.County)
	fill(&in.Address.Country, l.Address.Country)
	if l.Notes != "" && !strings.Contains(in.Notes, l.Notes) {
		in.Notes = strings.TrimSpace(in.Notes + "\n\n" + l.Notes)
	}
	created, active := k.CreatedAt, k.LastActiveAt
	if l.CreatedAt.Before(created) {
		created = l.CreatedAt
	}
	if l.LastActiveAt.After(active) {
		active = l.LastActiveAt
	}
	a := in.Address
	if _, err := tx.ExecContext(ctx, `UPDATE people SET given_name = ?, family_name = ?, name_key = ?, sound_key = ?, street = ?, street2 = ?,
		city = ?, state = ?, county = ?, zip = ?, country = ?, notes = ?, created_at = ?, last_active_at = ?, updated_at = ? WHERE id = ?`,
		in.GivenName, in.FamilyName, nameKey(in.GivenName, in.FamilyName), soundKey(in.GivenName, in.FamilyName),
		a.Street, a.Street2, a.City, a.State, a.County, a.ZIP, a.Country, in.Notes, created, active, tx.Now, k.ID); err != nil {
		return fmt.Errorf("people: merge person row: %w", err)
	}
	if err := setTerms(ctx, tx, k.ID, in.GivenName, in.FamilyName, false); err != nil {
		return err
	}
	moves := []string{
		"UPDATE person_emails SET person_id = ?, is_primary = FALSE WHERE person_id = ?",
		"UPDATE person_phones SET person_id = ?, is_primary = FALSE WHERE person_id = ?",
		"UPDATE person_refs SET person_id = ? WHERE person_id = ?",
		"UPDATE timeline SET person_id = ? WHERE person_id = ?",
		"INSERT INTO person_tags (tag_id, person_id) SELECT tag_id, ? FROM person_tags WHERE person_id = ? ON CONFLICT DO NOTHING",
		`INSERT INTO affiliations (organization_id, person_id, role, contact, created_at)
			SELECT organization_id, ?, role, contact, created_at FROM affiliations WHERE person_id = ? ON CONFLICT DO NOTHING`,
		"INSERT INTO person_fields (person_id, field_id, value) SELECT ?, field_id, value FROM person_fields WHERE person_id = ? ON CONFLICT DO NOTHING",
	}
	for _, q := range moves {
		if _, err := tx.ExecContext(ctx, q, k.ID, l.ID); err != nil {
			return fmt.Errorf("people: merge: %w", err)
		}
	}
	// The primary e-mail and phone stay keep's; when keep had none, lose's primary becomes it.
	for _, c := range []struct{ table, col, current, fallback string }{
		{"person_emails", "email", k.PrimaryEmail(), l.PrimaryEmail()},
		{"person_phones", "phone", k.PrimaryPhone(), l.PrimaryPhone()},
	} {
		primary := c.current
		if primary == "" {
			primary = c.fallback
		}
		if primary == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, "UPDATE "+c.table+" SET is_primary = TRUE WHERE "+c.col+" = ?", primary); err != nil {
			return fmt.Errorf("people: merge primary: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE people SET "+c.col+" = ? WHERE id = ?", primary, k.ID); err != nil {
			return fmt.Errorf("people: merge primary: %w", err)
		}
	}
	for _, ch := range Channels() {
		kc, lc := k.ConsentFor(ch), l.ConsentFor(ch)
		if lc.Status != "" && (kc.Status == "" || lc.At.After(kc.At)) {
			if err := writeConsent(ctx, tx, k.ID, lc); err != nil {
				return err
			}
		}
	}
	if l.Membership != nil && (k.Membership == nil || betterMembership(*l.Membership, *k.Membership)) {
		m := l.Membership
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (person_id, tier_id, status, started_at, expires_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (person_id) DO UPDATE SET tier_id = excluded.tier_id, status = excluded.status, started_at = excluded.started_at,
			expires_at = excluded.expires_at, updated_at = excluded.updated_at`, k.ID, m.TierID, m.Status, m.StartedAt, m.ExpiresAt, tx.Now); err != nil {
			return fmt.Errorf("people: merge membership: %w", err)
		}
	}
	return nil
}

// betterMembership reports whether a stands better than b.
func betterMembership(a, b Membership) bool {
	rank := map[MembershipStatus]int{MemberActive: 5, MemberGrace: 4, MemberPending: 3, MemberLapsed: 2, MemberCancelled: 1}
	if rank[a.Status] != rank[b.Status] {
		return rank[a.Status] > rank[b.Status]
	}
	switch {
	case a.ExpiresAt == nil && b.ExpiresAt != nil:
		return a.Status == MemberActive
	case a.ExpiresAt != nil && b.ExpiresAt != nil:
		return a.ExpiresAt.After(*b.ExpiresAt)
	}
	return false
}
