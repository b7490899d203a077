package people

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"

	"solidarity/internal/db"
)

// batcher runs an import a batch of rows at a time. Each batch reads the people its rows
// match in a few set queries, decides in memory what each row changes, and writes the
// changes with set inserts, all in one transaction with the import's progress. A dry run
// decides the same way but writes only its counts and rejects, and keeps what it would
// have written in memory so that later rows see earlier ones.
type batcher struct {
	s       *Service
	imp     Import
	defs    []FieldDef
	columns int
	// known maps "e:"+email, "p:"+phone and "r:"+ref to the person holding it.
	known map[string]*pstate
	byID  map[int64]*pstate
	tags  map[string]int64 // folded tag name → id
}

// pstate is a person as the import sees them: what is stored and what the batch adds.
type pstate struct {
	id                 int64 // 0 until a new person is written
	fresh              bool
	given, family      string
	addr               Address
	lang, notes        string
	emails, phones     []string
	tagKeys            map[string]bool
	fields             map[int64]string
	consent            map[Channel]ConsentStatus
	refs               []string
	dirty, nameChanged bool
	cols               columns // the people row's columns that changed, when dirty
	touched            bool    // listed for writing in this batch
	// key, sound and words are the name's keys when known to match given and family;
	// key is "" when they must be computed again.
	key, sound string
	words      []string
	addEmails  []string
	addPhones  []string
	addTags    []string
	addRefs    []string
	setFields  map[int64]string
	setConsent map[Channel]ConsentStatus
}

func newBatcher(s *Service, imp Import, columns int, defs []FieldDef) *batcher {
	return &batcher{s: s, imp: imp, defs: defs, columns: columns, tags: map[string]int64{}}
}

// counts of one batch.
type counts struct{ created, updated, unchanged, rejected int }

// rejection is a refused row.
type rejection struct {
	num   int
	field string
	key   string
	raw   string
}

// parsed is a batch of rows read and checked, ready for the database.
type parsed struct {
	rows    int
	plans   []plan
	rejects []rejection
}

// parse reads and checks a batch of rows. It touches no shared state, so it runs ahead
// of the database work, on another core.
func (b *batcher) parse(rows []rawRow) parsed {
	out := parsed{rows: len(rows)}
	for _, r := range rows {
		p, perr := b.parseRow(r)
		if perr != nil {
			out.rejects = append(out.rejects, rejection{num: r.num, field: perr.Field, key: perr.Key, raw: rawLine(r.cells)})
			continue
		}
		p.key, p.sound, p.words = nameKeys(p.in.GivenName, p.in.FamilyName)
		out.plans = append(out.plans, p)
	}
	return out
}

// run imports one parsed batch in one transaction.
func (b *batcher) run(ctx context.Context, batch parsed) error {
	if !b.imp.DryRun || b.known == nil {
		b.known, b.byID = map[string]*pstate{}, map[int64]*pstate{}
	}
	plans, rejects, rows := batch.plans, batch.rejects, batch.rows
	// A batch is not cancelled halfway: it ends in well under a second. With a context
	// that cannot be cancelled, the SQLite driver starts no goroutine to watch each of the
	// batch's statements (hundreds a batch: one a known person's update), whose wake-ups
	// took the writer off its core (7% of an import at a million people, in the scheduler
	// trace).
	if err := ctx.Err(); err != nil {
		return err
	}
	ctx = context.WithoutCancel(ctx)
	return b.s.inBulkTx(ctx, func(tx *db.Tx) error {
		w := newBulkSQL(tx)
		defer w.close()
		if err := b.load(ctx, w, plans); err != nil {
			return err
		}
		c := counts{rejected: len(rejects)}
		var touched []*pstate
		for _, p := range plans {
			st := b.match(p)
			if st == nil {
				st = &pstate{fresh: true, touched: true, tagKeys: map[string]bool{}, fields: map[int64]string{}, consent: map[Channel]ConsentStatus{}}
				st.apply(p, b)
				st.key, st.sound, st.words = p.key, p.sound, p.words
				c.created++
				touched = append(touched, st)
				continue
			}
			if st.apply(p, b) {
				c.updated++
				if !st.touched {
					st.touched = true
					touched = append(touched, st)
				}
			} else {
				c.unchanged++
			}
		}
		if !b.imp.DryRun {
			if err := b.write(ctx, w, touched); err != nil {
				return err
			}
		}
		if err := writeRejects(ctx, w, b.imp.ID, rejects); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE imports SET rows_done = rows_done + ?, created_count = created_count + ?,
			updated_count = updated_count + ?, unchanged_count = unchanged_count + ?, rejected_count = rejected_count + ? WHERE id = ?`,
			rows, c.created, c.updated, c.unchanged, c.rejected, b.imp.ID)
		if err != nil {
			return fmt.Errorf("people: import progress: %w", err)
		}
		if b.imp.DryRun {
			for _, st := range touched {
				st.settle()
			}
		}
		return nil
	})
}

// rawLine re-encodes a row's cells as one CSV line for the rejects file, cutting huge cells.
func rawLine(cells []string) string {
	cut := make([]string, len(cells))
	for i, c := range cells {
		if len(c) > 100 {
			c = strings.ToValidUTF8(c[:100], "") + "…"
		}
		cut[i] = c
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(cut)
	w.Flush()
	return strings.TrimRight(buf.String(), "\r\n")
}

// match returns the state of the person a plan is about: by e-mail, then phone, then the
// id in the source tool.
func (b *batcher) match(p plan) *pstate {
	for _, e := range p.in.Emails {
		if st := b.known["e:"+e]; st != nil {
			return st
		}
	}
	for _, n := range p.in.Phones {
		if st := b.known["p:"+n]; st != nil {
			return st
		}
	}
	if p.ref != "" {
		return b.known["r:"+p.ref]
	}
	return nil
}

// apply lays a plan over the state (non-empty values replace, contacts and tags add, a
// granted consent never overrides a revocation) and reports whether anything changed.
func (st *pstate) apply(p plan, b *batcher) bool {
	changed := false
	set := func(dst *string, v string, col columns) {
		if v != "" && *dst != v {
			*dst = v
			st.dirty, changed = true, true
			st.cols |= col
			if col == colName {
				st.nameChanged = true
				st.key = ""
			}
		}
	}
	in := p.in
	set(&st.given, in.GivenName, colName)
	set(&st.family, in.FamilyName, colName)
	a := in.Address
	set(&st.addr.Street, a.Street, colStreet)
	set(&st.addr.Street2, a.Street2, colStreet2)
	set(&st.addr.City, a.City, colCity)
	set(&st.addr.State, a.State, colState)
	set(&st.addr.County, a.County, colCounty)
	set(&st.addr.ZIP, a.ZIP, colZIP)
	set(&st.addr.Country, a.Country, colCountry)
	set(&st.lang, in.Language, colLanguage)
	set(&st.notes, in.Notes, colNotes)
	claim := func(prefix string, values []string, have, add *[]string, col columns) {
		for _, v := range values {
			if slices.Contains(*have, v) {
				continue
			}
			if o := b.known[prefix+v]; o != nil && o != st {
				continue // someone else's: merging decides
			}
			if len(*have) == 0 {
				st.dirty = true // it becomes the primary one
				st.cols |= col
			}
			*have = append(*have, v)
			*add = append(*add, v)
			b.known[prefix+v] = st
			changed = true
		}
	}
	claim("e:", in.Emails, &st.emails, &st.addEmails, colEmail)
	claim("p:", in.Phones, &st.phones, &st.addPhones, colPhone)
	if p.ref != "" {
		claim("r:", []string{p.ref}, &st.refs, &st.addRefs, 0)
	}
	for _, t := range in.Tags {
		if k := Fold(t); k != "" && !st.tagKeys[k] {
			st.tagKeys[k] = true
			st.addTags = append(st.addTags, t)
			changed = true
		}
	}
	for id, v := range p.fields {
		if v != "" && st.fields[id] != v {
			st.fields[id] = v
			if st.setFields == nil {
				st.setFields = map[int64]string{}
			}
			st.setFields[id] = v
			changed = true
		}
	}
	for ch, want := range map[Channel]ConsentStatus{ChannelEmail: p.emailConsent, ChannelSMS: p.smsConsent} {
		cur := st.consent[ch]
		if want == "" || want == cur || (want == ConsentGranted && cur == ConsentRevoked) {
			continue
		}
		st.consent[ch] = want
		if st.setConsent == nil {
			st.setConsent = map[Channel]ConsentStatus{}
		}
		st.setConsent[ch] = want
		changed = true
	}
	return changed
}

// settle forgets what a dry run would have written, keeping the state as if it had.
func (st *pstate) settle() {
	st.dirty, st.nameChanged, st.touched, st.cols = false, false, false, 0
	st.addEmails, st.addPhones, st.addTags, st.addRefs = nil, nil, nil, nil
	st.setFields, st.setConsent = nil, nil
}

// writeRejects stores refused rows.
func writeRejects(ctx context.Context, w *bulkSQL, importID int64, rejects []rejection) error {
	var vals []any
	for _, r := range rejects {
		vals = append(vals, importID, r.num, r.field, r.key, r.raw)
	}
	return w.insert(ctx, "INSERT INTO import_rejects (import_id, row_number, field, reason_key, raw) VALUES ", 5, vals,
		" ON CONFLICT (import_id, row_number) DO NOTHING")
}
