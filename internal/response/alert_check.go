package response

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/people"
)

// An alert reaches thousands of phones and every provider on the way: it must never lead
// anyone to a family's door. Two checks run on every alert text, in both languages, and a
// text that fails either is refused (errs.Invalid "alerts.body.address") with the reason
// shown to the dispatcher:
//
//  1. The shape of an address, in any text (templates too): a house number followed by
//     a street name and a street type ("123 Main St", "45 N Oak Avenue"), a Spanish
//     street word followed by a name and a number ("Calle Olmo 45", "Av. Juárez 1200"),
//     or a unit ("Apt 4", "depto 3", "#12"). A small word ("on", "near", "en", "cerca")
//     ends a street name, so "2 vehicles on Main St" passes. Text is compared folded
//     (lower case, no accents, punctuation as spaces), so "Av." and "av" are one.
//  2. The report's own address, decrypted for the check (the read is audited): refused
//     when the text holds its first line, or its house number next to a word of its
//     street name, in either order.
//
// Placeholders are left out of check 1 ({{.Time}} becomes "14:05 UTC", whose digits are
// not a house number); check 2 runs on the text as subscribers will read it.

// Words as Fold writes them: street types of US addresses, Spanish street words, unit
// words, and the small words that end a street name ("2 vehicles on Main St" is a count
// and a street, not an address).
var (
	alertStreetTypes = alertWordSet(`street st avenue ave av road rd boulevard blvd drive dr lane ln way court ct place pl
		terrace ter parkway pkwy highway hwy circle cir trail trl square sq alley aly plaza plz loop row pike expressway expy`)
	alertCalleWords = alertWordSet(`calle avenida av avda camino carretera calzada paseo privada cerrada callejon bulevar
		boulevard blvd prolongacion andador`)
	alertUnitWords = alertWordSet(`apt apartment unit suite ste depto departamento dpto interior int piso lote manzana mz`)
	alertStopWords = alertWordSet(`| on at near in by and or the from to with for of off past behind around between
		en y o cerca junto frente entre por con hacia desde hasta sobre`)
	// A number written with a number sign, before folding drops the sign.
	alertHashNumberRe = regexp.MustCompile(`#\s*[0-9]`)
)

func alertWordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// alertStreetPattern reports whether text (with its placeholders left out) has the shape
// of a street address.
func alertStreetPattern(text string) bool {
	if alertHashNumberRe.MatchString(alertPlaceholderRe.ReplaceAllString(text, " ")) {
		return true
	}
	return alertAddressShape(alertWords(text))
}

// alertBreak stands between two sentences (or where a placeholder was) in alertWords.
const alertBreak = "|"

// alertWords folds text into words, with alertBreak where a sentence ends (a period after
// a word that is not an abbreviation such as "Av." or "St.", or ; ! ? and line breaks)
// and in place of each placeholder, so that a street name never runs across them.
func alertWords(text string) []string {
	text = alertPlaceholderRe.ReplaceAllString(text, " ; ")
	var out []string
	for _, raw := range strings.Fields(text) {
		folded := strings.Fields(people.Fold(raw))
		out = append(out, folded...)
		last := raw[len(raw)-1]
		switch {
		case strings.IndexByte(";!?¡¿", last) >= 0:
			out = append(out, alertBreak)
		case last == '.' && len(folded) > 0:
			w := folded[len(folded)-1]
			if !alertStreetTypes[w] && !alertCalleWords[w] && !alertUnitWords[w] && len(w) > 1 && w != "jr" && w != "sr" && w != "no" && w != "num" {
				out = append(out, alertBreak)
			}
		}
	}
	return out
}

// alertAddressShape looks for a house number, one to four words and a street type ("123
// N Main St"); a Spanish street word, one to four words and a number ("calle olmo 45");
// or a unit word and a number ("apt 4").
func alertAddressShape(w []string) bool {
	for i, word := range w {
		switch {
		case alertIsNumber(word):
			for j := i + 1; j < len(w) && j <= i+5; j++ {
				if alertStopWords[w[j]] || alertIsNumber(w[j]) {
					break
				}
				if alertStreetTypes[w[j]] && j > i+1 {
					return true
				}
			}
		case alertCalleWords[word]:
			for j := i + 1; j < len(w) && j <= i+5; j++ {
				if alertIsNumber(w[j]) && j > i+1 {
					return true
				}
				if alertStopWords[w[j]] {
					break
				}
			}
		case alertUnitWords[word]:
			j := i + 1
			if j < len(w) && (w[j] == "no" || w[j] == "num" || w[j] == "numero") {
				j++
			}
			if j < len(w) && alertIsNumber(w[j]) {
				return true
			}
		}
	}
	return false
}

// alertMentionsAddress reports whether text names address: its first line, or its house
// number next to the first or last word of its street name, in either order.
func alertMentionsAddress(text, address string) bool {
	line, _, _ := strings.Cut(address, ",")
	line = people.Fold(line)
	if line == "" {
		return false
	}
	f := " " + people.Fold(text) + " "
	if strings.Contains(f, " "+line+" ") {
		return true
	}
	words := strings.Fields(line)
	for i, w := range words {
		if !alertIsNumber(w) {
			continue
		}
		// The street's words on either side of the number, up to another number: its first
		// and last word next to the number, in either order ("1234 Elm", "Maple Grove 4821").
		var near []string
		for _, run := range [][]string{alertRun(words[i+1:]), alertRun(reversed(words[:i]))} {
			if len(run) > 0 {
				near = append(near, run[0], run[len(run)-1])
			}
		}
		for _, n := range near {
			if alertStreetTypes[n] || alertCalleWords[n] || alertUnitWords[n] {
				continue
			}
			if strings.Contains(f, " "+w+" "+n+" ") || strings.Contains(f, " "+n+" "+w+" ") {
				return true
			}
		}
	}
	return false
}

// alertRun returns the words before the first number.
func alertRun(words []string) []string {
	for i, w := range words {
		if alertIsNumber(w) {
			return words[:i]
		}
	}
	return words
}

// reversed returns a reversed copy of words.
func reversed(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[len(words)-1-i] = w
	}
	return out
}

// alertIsNumber reports whether a folded word is a house number (up to six digits, maybe
// a letter).
func alertIsNumber(w string) bool {
	if w == "" || len(w) > 7 || w[0] < '0' || w[0] > '9' {
		return false
	}
	for i := 1; i < len(w); i++ {
		c := w[i]
		if !(c >= '0' && c <= '9' || i == len(w)-1 && c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// reportAddressForCheck decrypts the report's address for the alert check, recording the
// read in the audit log (it is never shown). A report without an address gives "".
func (s *Service) reportAddressForCheck(ctx context.Context, tx *db.Tx, actor auth.Actor, reportID int64) (string, error) {
	var ct []byte
	if err := tx.QueryRowContext(ctx, "SELECT address FROM response_reports WHERE id = ?", reportID).Scan(&ct); err != nil {
		return "", db.Translate(err, "response.report.not_found", "")
	}
	if len(ct) == 0 {
		return "", nil
	}
	address, err := s.vault.DecryptString("response_reports", reportID, "address", ct)
	if err != nil {
		return "", err
	}
	if err := record(ctx, tx, actor, "response.report.read_address", fmt.Sprintf("report:%d", reportID), "purpose=alert_address_check"); err != nil {
		return "", err
	}
	return address, nil
}
