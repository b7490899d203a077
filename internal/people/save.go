package people

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Get returns a person with everything the CRM holds on them.
func (s *Service) Get(ctx context.Context, actor auth.Actor, id int64) (Person, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return Person{}, err
	}
	p, err := loadPerson(ctx, s.db, id)
	return p, coded(err)
}

// prepare normalizes an input and checks its custom fields (and, with needName, that it
// has a name); every problem comes back at once as an errs.List.
func (s *Service) prepare(ctx context.Context, q db.Queryer, in *PersonInput, needName bool) (map[int64]string, error) {
	l := in.normalize(s.cfg.DefaultRegion)
	if needName && in.GivenName == "" && in.FamilyName == "" && len(l) == 0 {
		l.Add("given_name", "people.name.required")
	}
	var fields map[int64]string
	if len(in.Fields) > 0 {
		defs, err := fieldDefs(ctx, q)
		if err != nil {
			return nil, err
		}
		var fl errs.List
		fields, fl = fieldValues(defs, in.Fields)
		l = append(l, fl...)
	}
	return fields, l.Err()
}

// Create adds a person that staff entered. An e-mail or phone that already belongs to
// someone is a conflict on that field: open that person instead, or use Upsert.
func (s *Service) Create(ctx context.Context, actor auth.Actor, in PersonInput) (Person, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return Person{}, err
	}
	fields, err := s.prepare(ctx, s.db, &in, true)
	if err != nil {
		return Person{}, err
	}
	var id int64
	err = s.inTx(ctx, func(tx *db.Tx) error {
		var err error
		if id, err = insertPerson(ctx, tx, in, viaFor(actor), fields); err != nil {
			return err
		}
		return s.AddEvent(ctx, tx, id, NewEvent{Kind: "person.created", SummaryKey: "people.timeline.created",
			Data: map[string]any{"via": viaFor(actor)}, Source: "people"})
	})
	if err != nil {
		return Person{}, err
	}
	return s.Get(ctx, actor, id)
}

// Update replaces a person's details with in (the whole form: a field left empty is
// cleared; custom fields not named in in.Fields are kept).
func (s *Service) Update(ctx context.Context, actor auth.Actor, id int64, in PersonInput) (Person, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return Person{}, err
	}
	fields, err := s.prepare(ctx, s.db, &in, true)
	if err != nil {
		return Person{}, err
	}
	if err := s.inTx(ctx, func(tx *db.Tx) error { return updatePerson(ctx, tx, id, in, fields) }); err != nil {
		return Person{}, err
	}
	return s.Get(ctx, actor, id)
}

// Delete removes a person and everything that hangs on them, for real. Audited.
func (s *Service) Delete(ctx context.Context, actor auth.Actor, id int64) error {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		if err := deletePerson(ctx, tx, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "people.delete", personObject(id), "")
	})
}

func deletePerson(ctx context.Context, tx *db.Tx, id int64) error {
	res, err := tx.ExecContext(ctx, "DELETE FROM people WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("people: delete %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.NotFound("people.person.not_found")
	}
	return nil
}

// UpsertResult says what Upsert did.
type UpsertResult struct {
	ID      int64
	Created bool
	// Changed is false when the person existed and the input added nothing new.
	Changed bool
}

// Upsert finds the person by any of the input's e-mails, then phones, and updates them, or
// creates a new person when none matches: the dedupe rule every signup and API call
// follows. On an existing person, non-empty input fields replace stored ones, e-mails,
// phones and tags are added (never removed), and an e-mail or phone that belongs to
// someone else is left with them.
func (s *Service) Upsert(ctx context.Context, actor auth.Actor, in PersonInput) (UpsertResult, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return UpsertResult{}, err
	}
	fields, err := s.prepare(ctx, s.db, &in, false)
	if err != nil {
		return UpsertResult{}, err
	}
	if len(in.Emails) == 0 && len(in.Phones) == 0 {
		return UpsertResult{}, errs.Invalid("emails", "people.email.required")
	}
	var res UpsertResult
	err = s.inTx(ctx, func(tx *db.Tx) error {
		var err error
		res, err = s.upsert(ctx, tx, in, fields, viaFor(actor), false)
		return err
	})
	return res, err
}

// upsert is Upsert inside a transaction, for Join and other modules. With fillOnly, stored
// values are never replaced, only empty ones filled: a public form must not let a stranger
// rewrite someone's record by typing their e-mail.
func (s *Service) upsert(ctx context.Context, tx *db.Tx, in PersonInput, fields map[int64]string, via string, fillOnly bool) (UpsertResult, error) {
	id, err := matchPerson(ctx, tx, in.Emails, in.Phones)
	if err != nil {
		return UpsertResult{}, err
	}
	if id == 0 {
		id, err := insertPerson(ctx, tx, in, via, fields)
		if err != nil {
			return UpsertResult{}, err
		}
		return UpsertResult{ID: id, Created: true, Changed: true}, nil
	}
	cur, err := loadPerson(ctx, tx, id)
	if err != nil {
		return UpsertResult{}, err
	}
	merged, err := mergeInput(ctx, tx, cur, in, fillOnly)
	if err != nil {
		return UpsertResult{}, err
	}
	curIn := inputOf(cur)
	newFields := map[int64]string{}
	if len(fields) > 0 {
		defs, err := fieldDefs(ctx, tx)
		if err != nil {
			return UpsertResult{}, err
		}
		for _, d := range defs {
			v, ok := fields[d.ID]
			if !ok || v == "" || v == cur.Fields[d.Key] || (fillOnly && cur.Fields[d.Key] != "") {
				continue
			}
			newFields[d.ID] = v
		}
	}
	if sameInput(curIn, merged) && len(newFields) == 0 {
		return UpsertResult{ID: id}, nil
	}
	if err := updatePerson(ctx, tx, id, merged, newFields); err != nil {
		return UpsertResult{}, err
	}
	return UpsertResult{ID: id, Changed: true}, nil
}

// matchPerson returns the person holding one of the e-mails, or else one of the phones;
// 0 when nobody does.
func matchPerson(ctx context.Context, q db.Queryer, emails, phones []string) (int64, error) {
	for _, look := range []struct {
		table, col string
		values     []string
	}{{"person_emails", "email", emails}, {"person_phones", "phone", phones}} {
		for _, v := range look.values {
			var id int64
			err := q.QueryRowContext(ctx, "SELECT person_id FROM "+look.table+" WHERE "+look.col+" = ?", v).Scan(&id)
			if err == nil {
				return id, nil
			}
			if err := db.Translate(err, "", ""); errs.CodeOf(err) != errs.CodeNotFound {
				return 0, err
			}
		}
	}
	return 0, nil
}

// inputOf turns a stored person back into an input (without custom fields).
func inputOf(p Person) PersonInput {
	in := PersonInput{GivenName: p.GivenName, FamilyName: p.FamilyName, Address: p.Address, Language: p.Language,
		Tags: slices.Clone(p.Tags), Notes: p.Notes}
	for _, e := range p.Emails {
		in.Emails = append(in.Emails, e.Address)
	}
	for _, n := range p.Phones {
		in.Phones = append(in.Phones, n.Number)
	}
	return in
}

// mergeInput lays in over the stored person: non-empty values replace (or, with fillOnly,
// fill only empty ones); e-mails, phones and tags are added unless someone else holds them.
func mergeInput(ctx context.Context, q db.Queryer, cur Person, in PersonInput, fillOnly bool) (PersonInput, error) {
	out := inputOf(cur)
	set := func(dst *string, v string) {
		if v != "" && (!fillOnly || *dst == "") {
			*dst = v
		}
	}
	set(&out.GivenName, in.GivenName)
	set(&out.FamilyName, in.FamilyName)
	a, b := &out.Address, in.Address
	if b.Street != "" || b.City != "" || b.ZIP != "" {
		if !fillOnly || (a.Street == "" && a.City == "" && a.ZIP == "") {
			set(&a.Street, b.Street)
			set(&a.Street2, b.Street2)
			set(&a.City, b.City)
			set(&a.ZIP, b.ZIP)
		}
	}
	set(&a.State, b.State)
	set(&a.County, b.County)
	set(&a.Country, b.Country)
	set(&out.Language, in.Language)
	set(&out.Notes, in.Notes)
	for _, look := range []struct {
		table, col string
		add        []string
		dst        *[]string
	}{{"person_emails", "email", in.Emails, &out.Emails}, {"person_phones", "phone", in.Phones, &out.Phones}} {
		for _, v := range look.add {
			if slices.Contains(*look.dst, v) {
				continue
			}
			var owner int64
			err := q.QueryRowContext(ctx, "SELECT person_id FROM "+look.table+" WHERE "+look.col+" = ?", v).Scan(&owner)
			if err == nil && owner != cur.ID {
				continue // someone else's: a merge decides, not an upsert
			}
			*look.dst = append(*look.dst, v)
		}
	}
	keys := map[string]bool{}
	for _, t := range out.Tags {
		keys[Fold(t)] = true
	}
	for _, t := range in.Tags {
		if !keys[Fold(t)] {
			keys[Fold(t)] = true
			out.Tags = append(out.Tags, t)
		}
	}
	return out, nil
}

// sameInput reports whether two inputs would store the same person.
func sameInput(a, b PersonInput) bool {
	if a.Language == "" {
		a.Language = "en"
	}
	if b.Language == "" {
		b.Language = "en"
	}
	return a.GivenName == b.GivenName && a.FamilyName == b.FamilyName && a.Address == b.Address &&
		a.Language == b.Language && a.Notes == b.Notes && slices.Equal(a.Emails, b.Emails) &&
		slices.Equal(a.Phones, b.Phones) && sameTags(a.Tags, b.Tags) && maps.Equal(a.Fields, b.Fields)
}

func sameTags(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	k := map[string]bool{}
	for _, t := range a {
		k[Fold(t)] = true
	}
	for _, t := range b {
		if !k[Fold(t)] {
			return false
		}
	}
	return true
}

// viaFor names how a person came in, from who added them.
func viaFor(actor auth.Actor) string {
	switch actor.Kind {
	case auth.KindAPIKey:
		return "api"
	case auth.KindPublic:
		return "join"
	case auth.KindSystem:
		return "system"
	}
	return "staff"
}
