package people

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// personColumns are the people columns every summary reads, in scan order.
const personColumns = "p.id, p.given_name, p.family_name, p.email, p.phone, p.street, p.street2, p.city, p.state, p.county, p.zip, p.country, p.language, p.notes, p.created_via, p.created_at, p.updated_at, p.last_active_at"

// scanPerson reads personColumns into p.
func scanPerson(scan func(...any) error, p *Person) error {
	a := &p.Address
	return scan(&p.ID, &p.GivenName, &p.FamilyName, new(string), new(string), &a.Street, &a.Street2, &a.City,
		&a.State, &a.County, &a.ZIP, &a.Country, &p.Language, &p.Notes, &p.CreatedVia,
		&p.CreatedAt, &p.UpdatedAt, &p.LastActiveAt)
}

// insertPerson writes a new person from a normalized input and returns its id. Custom
// field values must have been checked (fieldValues).
func insertPerson(ctx context.Context, tx *db.Tx, in PersonInput, via string, fields map[int64]string) (int64, error) {
	lang := in.Language
	if lang == "" {
		lang = "en"
	}
	a := in.Address
	key, sound, _ := nameKeys(in.GivenName, in.FamilyName)
	id, err := tx.Insert(ctx, `INSERT INTO people (given_name, family_name, name_key, sound_key, email, phone,
		street, street2, city, state, county, zip, country, language, notes, created_via, created_at, updated_at, last_active_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.GivenName, in.FamilyName, key, sound,
		first(in.Emails), first(in.Phones), a.Street, a.Street2, a.City, a.State, a.County, a.ZIP, a.Country,
		lang, in.Notes, via, tx.Now, tx.Now, tx.Now)
	if err != nil {
		return 0, fmt.Errorf("people: insert person: %w", err)
	}
	if err := writeDetails(ctx, tx, id, in, fields, true); err != nil {
		return 0, err
	}
	return id, nil
}

// updatePerson replaces a person's fields with a normalized input.
func updatePerson(ctx context.Context, tx *db.Tx, id int64, in PersonInput, fields map[int64]string) error {
	lang := in.Language
	if lang == "" {
		lang = "en"
	}
	a := in.Address
	key, sound, _ := nameKeys(in.GivenName, in.FamilyName)
	res, err := tx.ExecContext(ctx, `UPDATE people SET given_name = ?, family_name = ?, name_key = ?, sound_key = ?,
		email = ?, phone = ?, street = ?, street2 = ?, city = ?, state = ?, county = ?, zip = ?, country = ?,
		language = ?, notes = ?, updated_at = ? WHERE id = ?`,
		in.GivenName, in.FamilyName, key, sound,
		first(in.Emails), first(in.Phones), a.Street, a.Street2, a.City, a.State, a.County, a.ZIP, a.Country,
		lang, in.Notes, tx.Now, id)
	if err != nil {
		return fmt.Errorf("people: update person %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.NotFound("people.person.not_found")
	}
	return writeDetails(ctx, tx, id, in, fields, false)
}

// writeDetails replaces the rows around a person: e-mails, phones, name terms, tags and
// custom fields.
func writeDetails(ctx context.Context, tx *db.Tx, id int64, in PersonInput, fields map[int64]string, fresh bool) error {
	if err := setContacts(ctx, tx, id, "person_emails", "email", "emails", "people.email.taken", in.Emails, fresh); err != nil {
		return err
	}
	if err := setContacts(ctx, tx, id, "person_phones", "phone", "phones", "people.phone.taken", in.Phones, fresh); err != nil {
		return err
	}
	if err := setTerms(ctx, tx, id, in.GivenName, in.FamilyName, fresh); err != nil {
		return err
	}
	if err := setTags(ctx, tx, id, in.Tags, fresh); err != nil {
		return err
	}
	return setFields(ctx, tx, id, fields, fresh)
}

// setContacts replaces a person's e-mails or phones; one that belongs to someone else is a
// conflict on field (merge the two people instead).
func setContacts(ctx context.Context, tx *db.Tx, id int64, table, col, field, takenKey string, values []string, fresh bool) error {
	if len(values) > 0 {
		q := "SELECT COUNT(*) FROM " + table + " WHERE person_id <> ? AND " + col + " IN (" + placeholders(len(values)) + ")"
		var n int
		if err := tx.QueryRowContext(ctx, q, append([]any{id}, anySlice(values)...)...).Scan(&n); err != nil {
			return fmt.Errorf("people: check %s: %w", table, err)
		}
		if n > 0 {
			return &errs.Error{Code: errs.CodeConflict, Field: field, Key: takenKey}
		}
	}
	if !fresh {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE person_id = ?", id); err != nil {
			return fmt.Errorf("people: clear %s: %w", table, err)
		}
	}
	for i, v := range values {
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+table+" ("+col+", person_id, is_primary, created_at) VALUES (?, ?, ?, ?)",
			v, id, i == 0, tx.Now); err != nil {
			return fmt.Errorf("people: add to %s: %w", table, err)
		}
	}
	return nil
}

// setTerms rewrites the search words of a person's name.
func setTerms(ctx context.Context, tx *db.Tx, id int64, given, family string, fresh bool) error {
	if !fresh {
		if _, err := tx.ExecContext(ctx, "DELETE FROM person_terms WHERE person_id = ?", id); err != nil {
			return fmt.Errorf("people: clear terms: %w", err)
		}
	}
	for _, t := range terms(given, family) {
		if _, err := tx.ExecContext(ctx, "INSERT INTO person_terms (term, person_id) VALUES (?, ?)", t, id); err != nil {
			return fmt.Errorf("people: add term: %w", err)
		}
	}
	return nil
}

// setTags replaces a person's tags, creating tags that do not exist yet.
func setTags(ctx context.Context, tx *db.Tx, id int64, tags []string, fresh bool) error {
	if !fresh {
		if _, err := tx.ExecContext(ctx, "DELETE FROM person_tags WHERE person_id = ?", id); err != nil {
			return fmt.Errorf("people: clear tags: %w", err)
		}
	}
	return addTags(ctx, tx, id, tags)
}

// addTags gives a person tags, creating tags that do not exist yet.
func addTags(ctx context.Context, tx *db.Tx, id int64, tags []string) error {
	for _, t := range tags {
		tagID, err := ensureTag(ctx, tx, t)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO person_tags (tag_id, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING", tagID, id); err != nil {
			return fmt.Errorf("people: tag person: %w", err)
		}
	}
	return nil
}

// ensureTag returns the id of the tag named name (ignoring case and accents), creating it.
func ensureTag(ctx context.Context, tx *db.Tx, name string) (int64, error) {
	key := Fold(name)
	if _, err := tx.ExecContext(ctx, "INSERT INTO tags (name, name_key, created_at) VALUES (?, ?, ?) ON CONFLICT (name_key) DO NOTHING",
		name, key, tx.Now); err != nil {
		return 0, fmt.Errorf("people: create tag: %w", err)
	}
	var id int64
	if err := tx.QueryRowContext(ctx, "SELECT id FROM tags WHERE name_key = ?", key).Scan(&id); err != nil {
		return 0, fmt.Errorf("people: find tag: %w", err)
	}
	return id, nil
}

// setFields writes custom field values by field id; an empty value removes the field.
func setFields(ctx context.Context, tx *db.Tx, id int64, fields map[int64]string, fresh bool) error {
	for fid, v := range fields {
		var err error
		switch {
		case v == "" && !fresh:
			_, err = tx.ExecContext(ctx, "DELETE FROM person_fields WHERE person_id = ? AND field_id = ?", id, fid)
		case v != "":
			_, err = tx.ExecContext(ctx, `INSERT INTO person_fields (person_id, field_id, value) VALUES (?, ?, ?)
				ON CONFLICT (person_id, field_id) DO UPDATE SET value = excluded.value`, id, fid, v)
		}
		if err != nil {
			return fmt.Errorf("people: set custom field: %w", err)
		}
	}
	return nil
}

// loadPerson reads a person with everything around it.
func loadPerson(ctx context.Context, q db.Queryer, id int64) (Person, error) {
	var p Person
	err := scanPerson(q.QueryRowContext(ctx, "SELECT "+personColumns+" FROM people p WHERE p.id = ?", id).Scan, &p)
	if err != nil {
		return Person{}, db.Translate(err, "people.person.not_found", "")
	}
	if err := eachRow(ctx, q, "SELECT email, is_primary FROM person_emails WHERE person_id = ? ORDER BY is_primary DESC, created_at, email", []any{id},
		func(scan func(...any) error) error {
			var e EmailAddress
			err := scan(&e.Address, &e.Primary)
			p.Emails = append(p.Emails, e)
			return err
		}); err != nil {
		return Person{}, err
	}
	if err := eachRow(ctx, q, "SELECT phone, is_primary FROM person_phones WHERE person_id = ? ORDER BY is_primary DESC, created_at, phone", []any{id},
		func(scan func(...any) error) error {
			var n PhoneNumber
			err := scan(&n.Number, &n.Primary)
			p.Phones = append(p.Phones, n)
			return err
		}); err != nil {
		return Person{}, err
	}
	if err := eachRow(ctx, q, "SELECT t.name FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.person_id = ? ORDER BY t.name_key", []any{id},
		func(scan func(...any) error) error {
			var t string
			err := scan(&t)
			p.Tags = append(p.Tags, t)
			return err
		}); err != nil {
		return Person{}, err
	}
	p.Fields = map[string]string{}
	if err := eachRow(ctx, q, "SELECT f.key, pf.value FROM person_fields pf JOIN custom_fields f ON f.id = pf.field_id WHERE pf.person_id = ?", []any{id},
		func(scan func(...any) error) error {
			var k, v string
			err := scan(&k, &v)
			p.Fields[k] = v
			return err
		}); err != nil {
		return Person{}, err
	}
	if p.Consent, err = loadConsent(ctx, q, id); err != nil {
		return Person{}, err
	}
	if p.Affiliations, err = personAffiliations(ctx, q, id); err != nil {
		return Person{}, err
	}
	m, err := loadMembership(ctx, q, id)
	switch {
	case err == nil:
		p.Membership = &m
	case errs.CodeOf(err) != errs.CodeNotFound:
		return Person{}, err
	}
	return p, nil
}

// eachRow runs a query and calls fn with each row's Scan.
func eachRow(ctx context.Context, q db.Queryer, query string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("people: query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return fmt.Errorf("people: scan: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("people: rows: %w", err)
	}
	return nil
}

// exists reports whether a person exists.
func exists(ctx context.Context, q db.Queryer, id int64) error {
	var one int
	err := q.QueryRowContext(ctx, "SELECT 1 FROM people WHERE id = ?", id).Scan(&one)
	return db.Translate(err, "people.person.not_found", "")
}

// placeholders returns "?, ?, …" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

func anySlice[T any](v []T) []any {
	out := make([]any, len(v))
	for i := range v {
		out[i] = v[i]
	}
	return out
}

func first(v []string) string {
	if len(v) > 0 {
		return v[0]
	}
	return ""
}

// nullTime turns a NullTime into a pointer.
func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}
