package people

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"solidarity/internal/db"
)

// write stores what a batch decided: new people, changed rows, and the rows around them,
// with one prepared statement per person row and set inserts for everything else.
func (b *batcher) write(ctx context.Context, tx *db.Tx, touched []*pstate) error {
	if len(touched) == 0 {
		return nil
	}
	ins, err := prepare(ctx, tx, `INSERT INTO people (given_name, family_name, name_key, sound_key, email, phone,
		street, street2, city, state, county, zip, country, language, notes, created_via, created_at, updated_at, last_active_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'import', ?, ?, ?) RETURNING id`)
	if err != nil {
		return err
	}
	defer ins.Close()
	upd, err := prepare(ctx, tx, `UPDATE people SET given_name = ?, family_name = ?, name_key = ?, sound_key = ?, email = ?, phone = ?,
		street = ?, street2 = ?, city = ?, state = ?, county = ?, zip = ?, country = ?, language = ?, notes = ?, updated_at = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer upd.Close()
	now := tx.Now
	var renamed []any
	for _, st := range touched {
		lang := st.lang
		if lang == "" {
			lang = "en"
		}
		a := st.addr
		if st.key == "" {
			st.key, st.sound, st.words = nameKeys(st.given, st.family)
		}
		row := []any{st.given, st.family, st.key, st.sound, first(st.emails), first(st.phones),
			a.Street, a.Street2, a.City, a.State, a.County, a.ZIP, a.Country, lang, st.notes}
		switch {
		case st.fresh:
			if err := ins.QueryRowContext(ctx, append(row, now, now, now)...).Scan(&st.id); err != nil {
				return fmt.Errorf("people: import insert person: %w", err)
			}
			st.nameChanged = true
		case st.dirty:
			if _, err := upd.ExecContext(ctx, append(row, now, st.id)...); err != nil {
				return fmt.Errorf("people: import update person %d: %w", st.id, err)
			}
			if st.nameChanged {
				renamed = append(renamed, st.id)
			}
		}
	}
	if err := inChunks(renamed, func(part []any) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM person_terms WHERE person_id IN ("+placeholders(len(part))+")", part...)
		return err
	}); err != nil {
		return fmt.Errorf("people: import clear terms: %w", err)
	}
	var emails, phones, termRows, tagRows, fieldRows, consentRows, refRows []any
	for _, st := range touched {
		for _, e := range st.addEmails {
			emails = append(emails, e, st.id, e == st.emails[0], now)
		}
		for _, n := range st.addPhones {
			phones = append(phones, n, st.id, n == st.phones[0], now)
		}
		if st.nameChanged {
			for _, t := range st.words {
				termRows = append(termRows, t, st.id)
			}
		}
		for _, t := range st.addTags {
			id, err := b.tagID(ctx, tx, t)
			if err != nil {
				return err
			}
			tagRows = append(tagRows, id, st.id)
		}
		for f, v := range st.setFields {
			fieldRows = append(fieldRows, st.id, f, v)
		}
		for ch, status := range st.setConsent {
			consentRows = append(consentRows, st.id, string(ch), string(status), now)
		}
		for _, r := range st.addRefs {
			refRows = append(refRows, string(b.imp.Source), r, st.id)
		}
	}
	inserts := []struct {
		prefix, suffix string
		n              int
		vals           []any
	}{
		{"INSERT INTO person_emails (email, person_id, is_primary, created_at) VALUES ", "", 4, emails},
		{"INSERT INTO person_phones (phone, person_id, is_primary, created_at) VALUES ", "", 4, phones},
		{"INSERT INTO person_terms (term, person_id) VALUES ", " ON CONFLICT DO NOTHING", 2, termRows},
		{"INSERT INTO person_tags (tag_id, person_id) VALUES ", " ON CONFLICT DO NOTHING", 2, tagRows},
		{"INSERT INTO person_fields (person_id, field_id, value) VALUES ", " ON CONFLICT (person_id, field_id) DO UPDATE SET value = excluded.value", 3, fieldRows},
		{"INSERT INTO person_refs (system, ref, person_id) VALUES ", " ON CONFLICT DO NOTHING", 3, refRows},
	}
	for _, in := range inserts {
		if len(in.vals) == 0 {
			continue
		}
		sortRows(in.vals, in.n) // in key order, each index insert lands next to the one before
		if err := bulkInsert(ctx, tx, in.prefix, in.n, in.vals, in.suffix); err != nil {
			return err
		}
	}
	if len(consentRows) > 0 {
		// method and confirmed_at are the same for every row of an import.
		if err := bulkInsert(ctx, tx, "INSERT INTO consents (person_id, channel, status, at, method) VALUES ", 5, withMethod(consentRows),
			" ON CONFLICT (person_id, channel) DO UPDATE SET status = excluded.status, method = excluded.method, at = excluded.at, confirmed_at = NULL"); err != nil {
			return err
		}
	}
	for _, st := range touched {
		st.settle()
		st.fresh = false
	}
	return nil
}

// withMethod appends the import method to each four-value consent row.
func withMethod(rows []any) []any {
	out := make([]any, 0, len(rows)/4*5)
	for i := 0; i+4 <= len(rows); i += 4 {
		out = append(out, rows[i], rows[i+1], rows[i+2], rows[i+3], string(MethodImport))
	}
	return out
}

// tagID returns the id of a tag by name, creating it, with a cache for the whole import.
func (b *batcher) tagID(ctx context.Context, tx *db.Tx, name string) (int64, error) {
	k := Fold(name)
	if id, ok := b.tags[k]; ok {
		return id, nil
	}
	id, err := ensureTag(ctx, tx, name)
	if err != nil {
		return 0, err
	}
	b.tags[k] = id
	return id, nil
}

// sortRows orders rows of n values by their first two values, so that a batch inserts into
// each index in key order (SQLite then finds each spot next to the last one).
func sortRows(vals []any, n int) {
	rows := make([][]any, len(vals)/n)
	for i := range rows {
		rows[i] = vals[i*n : i*n+n : i*n+n]
	}
	less := func(a, b any) int {
		switch x := a.(type) {
		case string:
			return strings.Compare(x, b.(string))
		case int64:
			return cmp.Compare(x, b.(int64))
		}
		return 0
	}
	slices.SortStableFunc(rows, func(a, b []any) int {
		if c := less(a[0], b[0]); c != 0 {
			return c
		}
		return less(a[1], b[1])
	})
	out := make([]any, 0, len(vals))
	for _, r := range rows {
		out = append(out, r...)
	}
	copy(vals, out)
}
