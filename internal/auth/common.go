package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// commonList holds common passwords, their base words and phrases, in English and Spanish,
// one per line (see the file's header). It is matched after folding, so each line stands
// for its capitalized, accented, spaced-out, leet-spelled and number-padded variants too.
//
//go:embed common_passwords.txt
var commonList string

// commonSet is the folded list, built once on first use. It is read-only after that.
var commonSet = sync.OnceValue(func() map[string]bool {
	set := make(map[string]bool, 4096)
	for _, line := range strings.Split(commonList, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		set[foldForCompare(stripAccents(line))] = true
	}
	return set
})

// isCommon reports whether a password is one an attacker tries early: a listed password or
// phrase, possibly with capitals, accents, spaces, leet spelling (p@ssw0rd) or a little
// padding (Password2024!, maria1234567); two listed entries joined (iloveyoumaria); a
// listed entry repeated; or a pattern (aaaaaaaaaaaa, abcabcabcabc, 123456789012,
// qwertyuiopas). A long random tail keeps a word from being refused: love83920174 passes.
func isCommon(password string) bool {
	set := commonSet()
	lower := stripAccents(strings.ToLower(password))
	full := foldForCompare(lower) // letters and digits only
	if full == "" || isPattern(full) {
		return true
	}
	if listed(full, set) || listed(foldForCompare(deleet(lower)), set) {
		return true
	}
	core, prefix, suffix := splitPadding(lower)
	if !weakPadding(prefix) || !weakPadding(suffix) {
		return false // the padding carries the strength
	}
	for _, c := range []string{foldForCompare(core), foldForCompare(deleet(core))} {
		if c == "" || isPattern(c) || listed(c, set) {
			return true
		}
	}
	return false
}

// listed reports whether s is on the list, repeats a listed entry, or joins two of them.
func listed(s string, set map[string]bool) bool {
	return set[s] || repeatsCommon(s, set) || joinsTwo(s, set)
}

// splitPadding splits s into its core, from the first letter to the last, and the padding
// before and after it (digits, symbols, spaces).
func splitPadding(s string) (core, prefix, suffix string) {
	first := strings.IndexFunc(s, unicode.IsLetter)
	if first < 0 {
		return "", s, ""
	}
	last := strings.LastIndexFunc(s, unicode.IsLetter)
	_, size := utf8.DecodeRuneInString(s[last:])
	return s[first : last+size], s[:first], s[last+size:]
}

// weakPadding reports whether padding adds little: up to four characters (a year, "123!")
// or a pattern (12345678, 000000).
func weakPadding(pad string) bool {
	pad = foldForCompare(pad)
	return utf8.RuneCountInString(pad) <= 4 || isPattern(pad)
}

// leet maps the digit spellings of letters back to letters.
var leet = strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "8", "b", "9", "g", "@", "a", "$", "s", "!", "i")

func deleet(s string) string { return leet.Replace(s) }

// repeatsCommon reports whether s is a listed word (or any unit of up to 4 characters)
// written two or more times: passwordpassword, lolololololo.
func repeatsCommon(s string, set map[string]bool) bool {
	r := []rune(s)
	for size := 1; size <= len(r)/2; size++ {
		if len(r)%size != 0 {
			continue
		}
		unit := string(r[:size])
		if strings.Repeat(unit, len(r)/size) == s && (size <= 4 || set[unit]) {
			return true
		}
	}
	return false
}

// joinsTwo reports whether s is two listed entries joined (iloveyoumaria, monkeydragon):
// cracking tools try such pairs early. Three or more words make a passphrase and pass.
func joinsTwo(s string, set map[string]bool) bool {
	for i := range s {
		if i == 0 {
			continue
		}
		if set[s[:i]] && set[s[i:]] {
			return true
		}
	}
	return false
}

// sequences are runs an attacker walks: the alphabet, digits and keyboard rows (QWERTY,
// AZERTY and Spanish layouts share these rows).
var sequences = []string{
	"abcdefghijklmnopqrstuvwxyz",
	"0123456789",
	"qwertyuiop", "asdfghjkln", "asdfghjkl", "zxcvbnm",
	"azertyuiop", "qsdfghjklm", "wxcvbn",
	"1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
	"qazwsxedcrfvtgbyhnujmikolp",
}

// isPattern reports whether s is mostly one walk along a sequence (forwards or backwards,
// wrapping, possibly repeated) or built from at most three distinct characters.
func isPattern(s string) bool {
	r := []rune(s)
	if len(r) == 0 {
		return true
	}
	distinct := map[rune]bool{}
	for _, c := range r {
		distinct[c] = true
	}
	if len(distinct) <= 3 {
		return true
	}
	for _, seq := range sequences {
		if walks(r, []rune(seq)) {
			return true
		}
	}
	return false
}

// walks reports whether every step of r moves one place along seq (in one direction).
func walks(r, seq []rune) bool {
	pos := func(c rune) int {
		for i, x := range seq {
			if x == c {
				return i
			}
		}
		return -1
	}
	for _, dir := range []int{1, -1} {
		ok := true
		for i := 1; i < len(r) && ok; i++ {
			a, b := pos(r[i-1]), pos(r[i])
			if a < 0 || b < 0 {
				ok = false
				break
			}
			ok = (a+dir+len(seq))%len(seq) == b
		}
		if ok {
			return true
		}
	}
	return false
}

// stripAccents removes combining marks: "María" becomes "Maria", "contraseña" stays
// "contrasena".
func stripAccents(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}
