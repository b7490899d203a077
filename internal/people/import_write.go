package people

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"solidarity/internal/db"
)

// write stores what a batch decided: new people in multi-row inserts with ids reserved
// first, changed rows with one prepared statement, and set inserts for everything else.
func (b *batcher) write(ctx context.Context, w *bulkSQL, touched []*pstate) error {
	if len(touched) == 0 {
		return nil
	}
	tx := w.tx
	now := tx.Stamp(tx.Now)
	var fresh, changed []*pstate
	var renamed []any
	for _, st := range touched {
		if st.key == "" {
			st.key, st.sound, st.words = nameKeys(st.given, st.family)
		}
		switch {
		case st.fresh:
			fresh = append(fresh, st)
			st.nameChanged = true
		case st.dirty:
			changed = append(changed, st)
			if st.nameChanged {
				renamed = append(renamed, st.id)
			}
		}
	}
	if err := b.insertPeople(ctx, w, fresh); err != nil {
		return err
	}
	if err := updatePeople(ctx, tx, changed, now); err != nil {
		return err
	}
	if err := inChunks(renamed, func(part []any) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM person_terms WHERE person_id IN ("+placeholders(len(part))+")", part...)
		return err
	}); err != nil {
		return fmt.Errorf("people: import clear terms: %w", err)
	}
	live, err := liveFields(ctx, tx, touched)
	if err != nil {
		return err
	}
	var emails, phones, termRows, tagRows, fieldRows, freshConsents, consentRows, refRows []any
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
			if live[f] {
				fieldRows = append(fieldRows, st.id, f, v)
			}
		}
		for _, ch := range [...]Channel{ChannelEmail, ChannelSMS} { // in key order
			if status, ok := st.setConsent[ch]; ok && st.fresh {
				freshConsents = append(freshConsents, st.id, string(ch), string(status), now, string(MethodImport))
			} else if ok {
				consentRows = append(consentRows, st.id, string(ch), string(status), now, string(MethodImport))
			}
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
		// A new person has no consent to replace.
		{"INSERT INTO consents (person_id, channel, status, at, method) VALUES ", "", 5, freshConsents},
	}
	for _, in := range inserts {
		if len(in.vals) == 0 {
			continue
		}
		sortRows(in.vals, in.n) // in key order, each index insert lands next to the one before
		if err := w.insert(ctx, in.prefix, in.n, in.vals, in.suffix); err != nil {
			return err
		}
	}
	// method and confirmed_at are the same for every row of an import.
	if err := w.insert(ctx, "INSERT INTO consents (person_id, channel, status, at, method) VALUES ", 5, consentRows,
		" ON CONFLICT (person_id, channel) DO UPDATE SET status = excluded.status, method = excluded.method, at = excluded.at, confirmed_at = NULL"); err != nil {
		return err
	}
	for _, st := range touched {
		st.settle()
		st.fresh = false
	}
	return nil
}

// insertPeople inserts the batch's new people, many a statement, with ids reserved first.
func (b *batcher) insertPeople(ctx context.Context, w *bulkSQL, fresh []*pstate) error {
	if len(fresh) == 0 {
		return nil
	}
	ids, err := newPersonIDs(ctx, w.tx, len(fresh))
	if err != nil {
		return err
	}
	now := w.tx.Stamp(w.tx.Now)
	values := func(st *pstate) []any {
		a := st.addr
		return []any{st.id, st.given, st.family, st.key, st.sound, first(st.emails), first(st.phones),
			a.Street, a.Street2, a.City, a.State, a.County, a.ZIP, a.Country, langOr(st.lang), st.notes, "import", now, now, now,
			string(st.consent[ChannelEmail]), string(st.consent[ChannelSMS])}
	}
	// On SQLite a person's row repeats their consents (migration 00015): written here with
	// the person, the consents inserted after it leave the row alone.
	names := []string{"id", "given_name", "family_name", "name_key", "sound_key", "email", "phone", "street", "street2", "city", "state",
		"county", "zip", "country", "language", "notes", "created_via", "created_at", "updated_at", "last_active_at",
		"email_consent", "sms_consent"}
	// A text column (one with the default '') that no new person of the batch fills is
	// left out: files seldom have every column, and each value bound costs about as much
	// as an index entry.
	all := make([][]any, len(fresh))
	used := make([]bool, len(names))
	for c, name := range names {
		used[c] = !slices.Contains(defaultEmpty, name)
	}
	for i, st := range fresh {
		st.id = ids[i]
		all[i] = values(st)
		for c, v := range all[i] {
			used[c] = used[c] || v != ""
		}
	}
	// On SQLite the ids are left to SQLite, which gives each row the largest id plus one,
	// the ids newPersonIDs reserved (checked below): a statement that sets the id itself
	// may stop on a value that is not an integer, so SQLite keeps a journal of every page
	// it changes to undo it with (a fifth of the people insert's time).
	used[0] = w.tx.Dialect() != db.SQLite
	for c, name := range names {
		if w.tx.Dialect() != db.SQLite && slices.Contains(sqliteOnly, name) {
			used[c] = false
		}
	}
	var kept []string
	for c, name := range names {
		if used[c] {
			kept = append(kept, name)
		}
	}
	cols := len(kept)
	rows := make([]any, 0, len(fresh)*cols)
	for _, vals := range all {
		for c, v := range vals {
			if used[c] {
				rows = append(rows, v)
			}
		}
	}
	prefix := "INSERT INTO people (" + strings.Join(kept, ", ") + ") "
	if w.tx.Dialect() == db.Postgres {
		prefix += "OVERRIDING SYSTEM VALUE "
	}
	if err := w.insert(ctx, prefix+"VALUES ", cols, rows, ""); err != nil {
		return fmt.Errorf("people: import insert people: %w", err)
	}
	if w.tx.Dialect() == db.SQLite {
		return sameIDs(ctx, w.tx, ids)
	}
	return nil
}

// sameIDs checks that the people SQLite just appended got the ids reserved for them:
// the last is the largest id there is, and there was none between the reservation and the
// insert (SQLite appends one row after the other, so only the last needs checking).
func sameIDs(ctx context.Context, tx *db.Tx, ids []int64) error {
	var top int64
	if err := tx.QueryRowContext(ctx, "SELECT MAX(id) FROM people").Scan(&top); err != nil {
		return fmt.Errorf("people: last person id: %w", err)
	}
	if want := ids[len(ids)-1]; top != want {
		return fmt.Errorf("people: import inserted people up to id %d, reserved up to %d", top, want)
	}
	return nil
}

// columns is a set of the people row's columns an import may change.
type columns uint16

const (
	colName columns = 1 << iota // given_name, family_name and the keys made from them
	colEmail
	colPhone
	colStreet
	colStreet2
	colCity
	colState
	colCounty
	colZIP
	colCountry
	colLanguage
	colNotes
)

// peopleColumns are the columns of each set member, with the value a person's state holds
// for them.
var peopleColumns = []struct {
	col   columns
	names []string
	value func(st *pstate) []any
}{
	{colName, []string{"given_name", "family_name", "name_key", "sound_key"}, func(st *pstate) []any { return []any{st.given, st.family, st.key, st.sound} }},
	{colEmail, []string{"email"}, func(st *pstate) []any { return []any{first(st.emails)} }},
	{colPhone, []string{"phone"}, func(st *pstate) []any { return []any{first(st.phones)} }},
	{colStreet, []string{"street"}, func(st *pstate) []any { return []any{st.addr.Street} }},
	{colStreet2, []string{"street2"}, func(st *pstate) []any { return []any{st.addr.Street2} }},
	{colCity, []string{"city"}, func(st *pstate) []any { return []any{st.addr.City} }},
	{colState, []string{"state"}, func(st *pstate) []any { return []any{st.addr.State} }},
	{colCounty, []string{"county"}, func(st *pstate) []any { return []any{st.addr.County} }},
	{colZIP, []string{"zip"}, func(st *pstate) []any { return []any{st.addr.ZIP} }},
	{colCountry, []string{"country"}, func(st *pstate) []any { return []any{st.addr.Country} }},
	{colLanguage, []string{"language"}, func(st *pstate) []any { return []any{langOr(st.lang)} }},
	{colNotes, []string{"notes"}, func(st *pstate) []any { return []any{st.notes} }},
}

// updatePeople writes the changed columns of known people, one prepared statement for each
// set of columns: a column left out of an UPDATE leaves its indexes alone, where setting it
// to the value it had would still move its index entry (a re-import that brings a new ZIP
// should not rewrite the person's name and language entries).
func updatePeople(ctx context.Context, tx *db.Tx, changed []*pstate, now any) error {
	stmts := map[columns]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			_ = st.Close()
		}
	}()
	for _, st := range changed {
		upd := stmts[st.cols]
		if upd == nil {
			var set []string
			for _, c := range peopleColumns {
				if st.cols&c.col != 0 {
					for _, n := range c.names {
						set = append(set, n+" = ?")
					}
				}
			}
			set = append(set, "updated_at = ?")
			var err error
			if upd, err = prepare(ctx, tx, "UPDATE people SET "+strings.Join(set, ", ")+" WHERE id = ?"); err != nil {
				return err
			}
			stmts[st.cols] = upd
		}
		var args []any
		for _, c := range peopleColumns {
			if st.cols&c.col != 0 {
				args = append(args, c.value(st)...)
			}
		}
		if _, err := upd.ExecContext(ctx, append(args, now, st.id)...); err != nil {
			return fmt.Errorf("people: import update person %d: %w", st.id, err)
		}
	}
	return nil
}

// sqliteOnly lists the columns of people that only SQLite's schema has (migration 00015).
var sqliteOnly = []string{"email_consent", "sms_consent"}

// defaultEmpty lists the columns of people whose default is the empty string.
var defaultEmpty = []string{"given_name", "family_name", "sound_key", "email", "phone", "street", "street2", "city", "state", "county",
	"zip", "country", "notes", "email_consent", "sms_consent"}

// liveFields returns the ids of the custom fields that still exist, when the batch sets
// any: the import read their definitions before it began, and its batches run without
// foreign-key checks (db.InBulkTx), so a field deleted meanwhile is left out here.
func liveFields(ctx context.Context, tx *db.Tx, touched []*pstate) (map[int64]bool, error) {
	live := map[int64]bool{}
	if !slices.ContainsFunc(touched, func(st *pstate) bool { return len(st.setFields) > 0 }) {
		return live, nil
	}
	err := eachRow(ctx, tx, "SELECT id FROM custom_fields", nil, func(scan func(...any) error) error {
		var id int64
		err := scan(&id)
		live[id] = true
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("people: import fields: %w", err)
	}
	return live, nil
}

// langOr returns a person's language, English when none is known.
func langOr(lang string) string {
	if lang == "" {
		return "en"
	}
	return lang
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
