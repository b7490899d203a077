package people

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/errs"
)

// Person is one contact of the network, as staff see it.
type Person struct {
	ID         int64
	GivenName  string
	FamilyName string
	// Emails and Phones hold the primary one first.
	Emails   []EmailAddress
	Phones   []PhoneNumber
	Address  Address
	Language string // "en" or "es"
	Tags     []string
	// Fields holds custom field values by field key, in their canonical text form.
	Fields       map[string]string
	Notes        string
	Consent      []Consent
	Affiliations []Affiliation
	// Membership is nil when the person holds none.
	Membership   *Membership
	CreatedVia   string // staff, join, import, api
	CreatedAt    time.Time
	UpdatedAt    time.Time
	LastActiveAt time.Time
}

// EmailAddress is one of a person's addresses, normalized to lower case.
type EmailAddress struct {
	Address string
	Primary bool
}

// PhoneNumber is one of a person's numbers in E.164 form.
type PhoneNumber struct {
	Number  string
	Primary bool
}

// Address is a postal address with the region fields segments filter on.
type Address struct {
	Street  string
	Street2 string
	City    string
	State   string // two-letter code for US states
	County  string
	ZIP     string
	Country string // ISO code where known
}

// Name returns the name to show: given and family name, or whichever one there is.
func (p Person) Name() string { return strings.TrimSpace(p.GivenName + " " + p.FamilyName) }

// PrimaryEmail returns the primary address, or "".
func (p Person) PrimaryEmail() string {
	if len(p.Emails) > 0 {
		return p.Emails[0].Address
	}
	return ""
}

// PrimaryPhone returns the primary number, or "".
func (p Person) PrimaryPhone() string {
	if len(p.Phones) > 0 {
		return p.Phones[0].Number
	}
	return ""
}

// ConsentFor returns the person's consent on channel; Status is "" when none was recorded.
func (p Person) ConsentFor(ch Channel) Consent {
	for _, c := range p.Consent {
		if c.Channel == ch {
			return c
		}
	}
	return Consent{Channel: ch}
}

// PersonInput is what staff, the API and other modules send to create or change a person.
// Emails and Phones list the primary one first.
type PersonInput struct {
	GivenName  string
	FamilyName string
	Emails     []string
	Phones     []string
	Address    Address
	Language   string
	Tags       []string
	// Fields sets custom field values by key; an empty value clears the field.
	Fields map[string]string
	Notes  string
}

// normalize cleans every field in place and reports each problem as a field error: names
// folded to one line, e-mails lower-cased, phones in E.164 (region for numbers without a
// country code), duplicates dropped, tags trimmed.
func (in *PersonInput) normalize(region string) errs.List {
	var l errs.List
	text := func(field string, v *string, max int) {
		s, ok := cleanText(*v, max)
		*v = s
		switch {
		case !ok && utf8Len(s) > max:
			l.Add(field, "people.field.too_long")
		case !ok:
			l.Add(field, "people.field.invalid")
		}
	}
	text("given_name", &in.GivenName, maxName)
	text("family_name", &in.FamilyName, maxName)
	in.Emails = dedupe(in.Emails, func(s string) (string, bool) { return NormalizeEmail(s) })
	for _, e := range in.Emails {
		if _, ok := NormalizeEmail(e); !ok {
			l.Add("emails", "people.email.invalid")
			break
		}
	}
	if len(in.Emails) > maxEmails {
		l.Add("emails", "people.email.too_many")
	}
	var badPhone bool
	in.Phones = dedupe(in.Phones, func(s string) (string, bool) {
		n, ok := NormalizePhone(s, region)
		if !ok {
			badPhone = true
		}
		return n, ok
	})
	if badPhone {
		l.Add("phones", "people.phone.invalid")
	}
	if len(in.Phones) > maxPhones {
		l.Add("phones", "people.phone.too_many")
	}
	a := &in.Address
	text("street", &a.Street, maxStreet)
	text("street2", &a.Street2, maxStreet)
	text("city", &a.City, maxCity)
	text("county", &a.County, maxCounty)
	a.Country = normalizeCountry(a.Country)
	if utf8Len(a.Country) > maxCountry {
		l.Add("country", "people.field.too_long")
	}
	a.State = normalizeState(a.State)
	if utf8Len(a.State) > maxState {
		l.Add("state", "people.field.too_long")
	}
	zip, ok := normalizeZIP(a.ZIP, a.Country)
	a.ZIP = zip
	if !ok {
		l.Add("zip", "people.zip.invalid")
	}
	if in.Language != "" {
		lang := NormalizeLanguage(in.Language)
		if lang == "" {
			l.Add("language", "people.language.invalid")
		}
		in.Language = lang
	}
	tags, tagErr := cleanTags(in.Tags)
	in.Tags = tags
	if tagErr != nil {
		l = append(l, tagErr)
	}
	notes, ok := cleanNotes(in.Notes, maxNotes)
	in.Notes = notes
	if !ok {
		if utf8Len(notes) > maxNotes {
			l.Add("notes", "people.field.too_long")
		} else {
			l.Add("notes", "people.field.invalid")
		}
	}
	return l
}

// dedupe normalizes each non-empty value and drops repeats, keeping order; values that do
// not normalize are kept as typed so that the caller can report them.
func dedupe(in []string, norm func(string) (string, bool)) []string {
	var out []string
	for _, v := range in {
		if strings.TrimSpace(v) == "" {
			continue
		}
		n, ok := norm(v)
		if !ok {
			n = strings.TrimSpace(v)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// cleanTags trims tags, drops empty ones and repeats (ignoring case and accents) and
// checks their length and count.
func cleanTags(in []string) ([]string, *errs.Error) {
	var out []string
	seen := map[string]bool{}
	for _, t := range in {
		t, ok := cleanText(t, maxTag)
		if !ok {
			if utf8Len(t) > maxTag {
				return out, errs.Invalid("tags", "people.tag.too_long")
			}
			return out, errs.Invalid("tags", "people.field.invalid")
		}
		k := Fold(t)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, t)
	}
	if len(out) > maxTags {
		return out, errs.Invalid("tags", "people.tag.too_many")
	}
	return out, nil
}

func utf8Len(s string) int { return len([]rune(s)) }

// PageSize bounds for lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

func pageSize(n int) int {
	switch {
	case n <= 0:
		return DefaultPageSize
	case n > MaxPageSize:
		return MaxPageSize
	}
	return n
}

// idString formats an id for audit details.
func idString(id int64) string { return strconv.FormatInt(id, 10) }
