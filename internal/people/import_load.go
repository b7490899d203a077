package people

import (
	"context"
	"fmt"
	"slices"
)

// load reads every stored person that a batch's e-mails, phones and refs point at, with
// their contacts, tags, fields, consents and refs, into b.known and b.byID.
func (b *batcher) load(ctx context.Context, w *bulkSQL, plans []plan) error {
	var emails, phones, refs []any
	for _, p := range plans {
		for _, e := range p.in.Emails {
			if b.known["e:"+e] == nil {
				emails = append(emails, e)
			}
		}
		for _, n := range p.in.Phones {
			if b.known["p:"+n] == nil {
				phones = append(phones, n)
			}
		}
		if p.ref != "" && b.known["r:"+p.ref] == nil {
			refs = append(refs, p.ref)
		}
	}
	ids := map[int64]bool{}
	collect := func(scan func(...any) error) error {
		var k string
		var id int64
		if err := scan(&k, &id); err != nil {
			return err
		}
		if b.byID[id] == nil {
			ids[id] = true
		}
		return nil
	}
	if err := w.each(ctx, "SELECT email, person_id FROM person_emails WHERE email IN ", "", nil, emails, collect); err != nil {
		return err
	}
	if err := w.each(ctx, "SELECT phone, person_id FROM person_phones WHERE phone IN ", "", nil, phones, collect); err != nil {
		return err
	}
	if err := w.each(ctx, "SELECT ref, person_id FROM person_refs WHERE system = ? AND ref IN ", "", []any{string(b.imp.Source)}, refs, collect); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	list := make([]any, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	return b.loadPeople(ctx, w, list)
}

// loadPeople reads the states of the people with the given ids.
func (b *batcher) loadPeople(ctx context.Context, w *bulkSQL, ids []any) error {
	err := w.each(ctx, "SELECT id, given_name, family_name, street, street2, city, state, county, zip, country, language, notes FROM people WHERE id IN ", "", nil, ids,
		func(scan func(...any) error) error {
			st := &pstate{tagKeys: map[string]bool{}, fields: map[int64]string{}, consent: map[Channel]ConsentStatus{}}
			a := &st.addr
			if err := scan(&st.id, &st.given, &st.family, &a.Street, &a.Street2, &a.City, &a.State, &a.County, &a.ZIP, &a.Country, &st.lang, &st.notes); err != nil {
				return err
			}
			b.byID[st.id] = st
			return nil
		})
	if err != nil {
		return err
	}
	person := func(id int64) (*pstate, error) {
		st := b.byID[id]
		if st == nil {
			return nil, fmt.Errorf("people: import: person %d vanished", id)
		}
		return st, nil
	}
	if err := w.each(ctx, "SELECT person_id, email FROM person_emails WHERE person_id IN ", " ORDER BY person_id, is_primary DESC, created_at, email", nil, ids,
		func(scan func(...any) error) error {
			var id int64
			var e string
			if err := scan(&id, &e); err != nil {
				return err
			}
			st, err := person(id)
			if err == nil {
				st.emails = append(st.emails, e)
				b.known["e:"+e] = st
			}
			return err
		}); err != nil {
		return err
	}
	if err := w.each(ctx, "SELECT person_id, phone FROM person_phones WHERE person_id IN ", " ORDER BY person_id, is_primary DESC, created_at, phone", nil, ids,
		func(scan func(...any) error) error {
			var id int64
			var n string
			if err := scan(&id, &n); err != nil {
				return err
			}
			st, err := person(id)
			if err == nil {
				st.phones = append(st.phones, n)
				b.known["p:"+n] = st
			}
			return err
		}); err != nil {
		return err
	}
	if err := w.each(ctx, "SELECT pt.person_id, t.name_key FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.person_id IN ", "", nil, ids,
		func(scan func(...any) error) error {
			var id int64
			var k string
			if err := scan(&id, &k); err != nil {
				return err
			}
			st, err := person(id)
			if err == nil {
				st.tagKeys[k] = true
			}
			return err
		}); err != nil {
		return err
	}
	// Without a column that sets a custom field, the stored values are never compared.
	if b.mapsFields() {
		if err := w.each(ctx, "SELECT person_id, field_id, value FROM person_fields WHERE person_id IN ", "", nil, ids,
			func(scan func(...any) error) error {
				var id, f int64
				var v string
				if err := scan(&id, &f, &v); err != nil {
					return err
				}
				st, err := person(id)
				if err == nil {
					st.fields[f] = v
				}
				return err
			}); err != nil {
			return err
		}
	}
	if err := w.each(ctx, "SELECT person_id, channel, status FROM consents WHERE person_id IN ", "", nil, ids,
		func(scan func(...any) error) error {
			var id int64
			var ch Channel
			var status ConsentStatus
			if err := scan(&id, &ch, &status); err != nil {
				return err
			}
			st, err := person(id)
			if err == nil {
				st.consent[ch] = status
			}
			return err
		}); err != nil {
		return err
	}
	// Every ref of the people is read and the other tools' are skipped here: with the
	// system in the query, PostgreSQL without fresh statistics of person_refs (a table
	// imports fill; autovacuum off) combined the person index with the primary key's whole
	// range for the system, once per id: 32 ms an id at 660,000 refs, an import 10× slower
	// each time. A person has a ref or two.
	return w.each(ctx, "SELECT person_id, system, ref FROM person_refs WHERE person_id IN ", "", nil, ids,
		func(scan func(...any) error) error {
			var id int64
			var system, r string
			if err := scan(&id, &system, &r); err != nil {
				return err
			}
			if system != string(b.imp.Source) {
				return nil
			}
			st, err := person(id)
			if err == nil {
				st.refs = append(st.refs, r)
				b.known["r:"+r] = st
			}
			return err
		})
}

// mapsFields reports whether a column of the file sets a custom field.
func (b *batcher) mapsFields() bool {
	return slices.ContainsFunc(b.imp.Mapping, func(t ImportField) bool {
		_, custom := t.customKey()
		return custom
	})
}

// inChunks calls fn with parts of at most 500 values.
func inChunks(vals []any, fn func([]any) error) error {
	for len(vals) > 0 {
		n := min(500, len(vals))
		if err := fn(vals[:n]); err != nil {
			return err
		}
		vals = vals[n:]
	}
	return nil
}
