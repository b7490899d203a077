package people

import (
	"net/mail"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Field limits, in characters. They keep a form, an import or an API call from pouring a
// document into a name.
const (
	maxName    = 100
	maxEmail   = 254
	maxStreet  = 200
	maxCity    = 100
	maxState   = 60
	maxCounty  = 100
	maxZIP     = 12
	maxCountry = 60
	maxNotes   = 10000
	maxTag     = 64
	maxTags    = 50
	maxEmails  = 10
	maxPhones  = 10
	maxRole    = 100
	maxTerm    = 40
)

// unquote removes the apostrophe our own exports put before a cell that starts with a
// formula character, so that an export re-imports as it was.
func unquote(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte("=+-@\t\r", s[1]) >= 0 {
		return s[1:]
	}
	return s
}

// NormalizeEmail returns the address trimmed and lower-cased, and whether it is a valid
// bare address (ASCII, no display name, a dotted domain): what every mail server takes.
func NormalizeEmail(raw string) (string, bool) {
	s := strings.ToLower(strings.TrimSpace(unquote(strings.TrimSpace(raw))))
	if s == "" || len(s) > maxEmail {
		return s, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || s[i] <= ' ' {
			return s, false
		}
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return s, false
	}
	domain := s[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.Contains(domain, "..") || strings.ContainsAny(domain, "[]") {
		return s, false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return s, false
	}
	return s, true
}

// NormalizePhone returns the number in E.164 form (+15551234567), reading numbers without
// a country code as numbers of region, and whether it is a valid number.
func NormalizePhone(raw, region string) (string, bool) {
	s := strings.TrimSpace(unquote(strings.TrimSpace(raw)))
	if s == "" || len(s) > 40 {
		return "", false
	}
	if national, ok := plainNANP(s, region); ok {
		// The parser would read the same number; only whether it is valid is asked, first
		// of the region itself (one set of patterns) and then of every region sharing +1
		// (area codes belong to one region each).
		one, nn := int32(1), national
		n := &phonenumbers.PhoneNumber{CountryCode: &one, NationalNumber: &nn}
		if !phonenumbers.IsValidNumberForRegion(n, region) && !phonenumbers.IsValidNumber(n) {
			return "", false
		}
		return "+1" + strconv.FormatUint(national, 10), true
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// plainNANP reads a North American number written the common ways ("(512) 555-0101",
// "512.555.0101", "+1 512 555 0101", "1-512-555-0101") in a North American region without
// the general parser, whose regular expressions are most of an import's checking time: it
// returns the ten-digit national number. Anything else (letters, extensions, other lengths,
// a national number not starting with 2–9) is left to the parser.
func plainNANP(s, region string) (uint64, bool) {
	if region != "US" && region != "CA" {
		return 0, false
	}
	var digits [11]byte
	n := 0
	plus := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if n == len(digits) {
				return 0, false
			}
			digits[n] = c
			n++
		case c == '+' && i == 0:
			plus = true
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return 0, false
		}
	}
	d := digits[:n]
	switch {
	case n == 11 && d[0] == '1':
		d = d[1:]
	case n == 10 && !plus:
	default:
		return 0, false
	}
	if d[0] < '2' {
		return 0, false
	}
	national, err := strconv.ParseUint(string(d), 10, 64)
	return national, err == nil
}

// looksLikePhone reports whether a search query is a phone number rather than a name.
func looksLikePhone(q string) bool {
	digits := 0
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-(). ", r):
		default:
			return false
		}
	}
	return digits >= 7
}

// cleanText trims s, folds runs of white space into one space and reports whether what is
// left is valid text (UTF-8, no control characters) of at most max characters.
func cleanText(s string, max int) (string, bool) {
	s = unquoteSpace(s)
	if !utf8.ValidString(s) {
		return s, false
	}
	if strings.IndexFunc(s, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) >= 0 {
		return s, false
	}
	s = strings.Join(strings.Fields(s), " ")
	return s, utf8.RuneCountInString(s) <= max
}

// cleanNotes is cleanText for multi-line text: line breaks and tabs are kept.
func cleanNotes(s string, max int) (string, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if !utf8.ValidString(s) {
		return s, false
	}
	if strings.IndexFunc(s, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' || r == 0x7f }) >= 0 {
		return s, false
	}
	return s, utf8.RuneCountInString(s) <= max
}

// unquoteSpace trims s and drops an export's protective apostrophe.
func unquoteSpace(s string) string { return strings.TrimSpace(unquote(strings.TrimSpace(s))) }

// Fold returns s lower-cased, without accents, with every run of characters that are
// neither letters nor digits turned into one space: the form names are compared and
// searched in ("José-María" → "jose maria"). Latin text takes a table-driven fast path
// (imports fold millions of names); anything else goes through Unicode decomposition.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		var m string
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteByte(byte(r))
			space = false
			continue
		case r >= 'A' && r <= 'Z':
			b.WriteByte(byte(r) + ('a' - 'A'))
			space = false
			continue
		case r < utf8.RuneSelf:
		case int(r) < len(foldTable):
			m = foldTable[r]
		default:
			return foldSlow(s)
		}
		if m == "" {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteString(m)
		space = false
	}
	return strings.TrimRight(b.String(), " ")
}

// foldTable holds foldSlow of each Latin rune below U+0250 ("" for separators); it is
// filled once at start-up and only read afterwards.
var foldTable = func() []string {
	t := make([]string, 0x250)
	for r := rune(0x80); r < 0x250; r++ {
		t[r] = foldSlow(string(r))
	}
	return t
}()

// foldSlow is Fold through Unicode decomposition, for any script.
func foldSlow(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	if out, _, err := transform.String(t, s); err == nil {
		s = out
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		switch {
		case r == 'ß':
			b.WriteString("ss")
			space = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// nameKeys folds a name once and derives the sort key, the phonetic key and the search
// words from it.
func nameKeys(given, family string) (sortKey, sound string, words []string) {
	g, f := Fold(given), Fold(family)
	sortKey = strings.TrimSpace(f + " " + g)
	sound = soundCode(f) + ":" + soundCode(g)
	seen := map[string]bool{}
	for _, w := range strings.Fields(g + " " + f) {
		if len(w) > maxTerm {
			w = w[:maxTerm]
			for !utf8.ValidString(w) {
				w = w[:len(w)-1]
			}
		}
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return sortKey, sound, words
}

// nameKey is the sort key of a person: folded family name, then given name.
func nameKey(given, family string) string {
	k, _, _ := nameKeys(given, family)
	return k
}

// terms returns the distinct folded words of a name, each cut to maxTerm bytes.
func terms(given, family string) []string {
	_, _, w := nameKeys(given, family)
	return w
}

// prefixEnd returns the smallest string greater than every string that starts with p, so
// that "starts with p" is the range [p, prefixEnd(p)) on an index in byte order. It works
// for any UTF-8 p because UTF-8 byte order is code point order.
func prefixEnd(p string) string {
	r := []rune(p)
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] < unicode.MaxRune {
			r[i]++
			if r[i] >= 0xD800 && r[i] <= 0xDFFF {
				r[i] = 0xE000
			}
			return string(r[:i+1])
		}
	}
	return p + "\U0010FFFF"
}

// soundKey is a phonetic code of a name for finding likely duplicates: consonants grouped
// by sound as in Soundex (also the first letter, so that Catherine meets Katherine),
// vowels, h, w and y dropped, repeats collapsed, four codes per name.
func soundKey(given, family string) string {
	_, k, _ := nameKeys(given, family)
	return k
}

func soundCode(s string) string {
	var b strings.Builder
	var last byte
	for i := 0; i < len(s) && b.Len() < 4; i++ {
		c := soundClass(s[i])
		if c != 0 && c != last {
			b.WriteByte(c)
		}
		if c != 0 {
			last = c
		}
		if s[i] == ' ' {
			break // the first word of each name is enough
		}
	}
	return b.String()
}

func soundClass(c byte) byte {
	switch c {
	case 'b', 'f', 'p', 'v':
		return '1'
	case 'c', 'g', 'j', 'k', 'q', 's', 'x', 'z':
		return '2'
	case 'd', 't':
		return '3'
	case 'l':
		return '4'
	case 'm', 'n':
		return '5'
	case 'r':
		return '6'
	}
	return 0
}

// NormalizeLanguage returns "en" or "es" for the ways people write those languages, or
// "" when s names neither.
func NormalizeLanguage(s string) string {
	f := Fold(s)
	if i := strings.IndexByte(f, ' '); i > 0 && len(f[:i]) == 2 {
		f = f[:i] // en-US, es_MX
	}
	switch f {
	case "en", "eng", "english", "ingles":
		return "en"
	case "es", "spa", "spanish", "espanol", "castellano":
		return "es"
	}
	return ""
}

// normalizeZIP trims and upper-cases a postal code and restores the leading zero that
// spreadsheets strip from US ZIP codes (07102 read as 7102).
func normalizeZIP(s, country string) (string, bool) {
	s = strings.ToUpper(unquoteSpace(s))
	if s == "" {
		return "", true
	}
	if len(s) > maxZIP {
		return s, false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r == ' ' || r == '-') {
			return s, false
		}
	}
	if (country == "" || country == "US") && len(s) == 4 && strings.Trim(s, "0123456789") == "" {
		s = "0" + s
	}
	return s, true
}

// normalizeState returns the two-letter code of a US state written out in full, an
// upper-cased two-letter code as is, and other regions as typed.
func normalizeState(s string) string {
	s, _ = cleanText(s, maxState*4)
	if len(s) == 2 {
		return strings.ToUpper(s)
	}
	if code, ok := usStates[Fold(s)]; ok {
		return code
	}
	return s
}

// normalizeCountry turns common spellings of the network's usual countries into ISO codes
// and upper-cases other two-letter codes.
func normalizeCountry(s string) string {
	s, _ = cleanText(s, maxCountry*4)
	if len(s) == 2 {
		return strings.ToUpper(s)
	}
	switch Fold(s) {
	case "usa", "united states", "united states of america", "estados unidos", "eeuu", "ee uu":
		return "US"
	case "mexico":
		return "MX"
	case "canada":
		return "CA"
	case "guatemala":
		return "GT"
	case "honduras":
		return "HN"
	case "el salvador":
		return "SV"
	}
	return s
}

var usStates = map[string]string{
	"alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
	"colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
	"florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
	"indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
	"maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
	"mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
	"new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
	"north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR",
	"pennsylvania": "PA", "puerto rico": "PR", "rhode island": "RI", "south carolina": "SC",
	"south dakota": "SD", "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT",
	"virginia": "VA", "washington": "WA", "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
}

// SearchKeys returns the keys the store derives from a name: the sort key, the phonetic
// key for duplicates and the search words. Bulk loaders (peoplegen) use it so that their
// rows sort, search and dedupe like any other.
func SearchKeys(given, family string) (sortKey, sound string, words []string) {
	return nameKeys(given, family)
}
