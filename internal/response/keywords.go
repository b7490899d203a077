package response

import (
	"strings"

	"solidarity/internal/people"
)

// keyword is what an inbound text message says when it is one of the words the hotline
// acts on by itself.
type keyword int

// The keywords.
const (
	keywordNone keyword = iota // anything else: a report, or its conversation
	keywordStop                // end every message to this number
	keywordHelp                // how the line works
	keywordYes                 // a responder accepts
	keywordNo                  // a responder declines
)

// keywords maps each keyword, folded (lower case, no accents, no punctuation), to what it
// is and its language ("" when it is the same word in English and Spanish). The stop and
// help words are the standard list carriers and Twilio honour (STOP, STOPALL,
// UNSUBSCRIBE, CANCEL, END, QUIT; HELP, INFO), with ALTO and AYUDA for Spanish.
var keywords = map[string]struct {
	k    keyword
	lang string
}{
	"stop": {keywordStop, "en"}, "stopall": {keywordStop, "en"}, "unsubscribe": {keywordStop, "en"},
	"cancel": {keywordStop, "en"}, "end": {keywordStop, "en"}, "quit": {keywordStop, "en"},
	"alto": {keywordStop, "es"},
	"help": {keywordHelp, "en"}, "info": {keywordHelp, "en"}, "ayuda": {keywordHelp, "es"},
	"yes": {keywordYes, "en"}, "si": {keywordYes, "es"},
	"no": {keywordNo, ""},
}

// classifyKeyword reads a whole message as a keyword, ignoring case, accents, spaces and
// punctuation around it ("Sí.", " yes! ", "ALTO"). A keyword inside a longer message does
// not count: "no sé si es la migra" is a report.
func classifyKeyword(body string) (keyword, string) {
	f := people.Fold(body)
	if f == "" || len(f) > 12 || strings.ContainsRune(f, ' ') {
		return keywordNone, ""
	}
	k, ok := keywords[f]
	if !ok {
		return keywordNone, ""
	}
	return k.k, k.lang
}

// guessLanguage picks the language to answer a free-text message in, when nothing else
// says: Spanish when the text has Spanish letters or more common Spanish words than
// English ones.
func guessLanguage(body string) string {
	if strings.ContainsAny(body, "ñÑáéíóúÁÉÍÓÚ¿¡") {
		return "es"
	}
	es, en := 0, 0
	for _, w := range strings.Fields(people.Fold(body)) {
		switch w {
		case "la", "el", "los", "las", "en", "de", "hay", "esta", "estan", "casa", "calle", "migra", "agentes", "trabajo", "por", "con", "una", "un", "que", "y":
			es++
		case "the", "is", "are", "at", "in", "of", "there", "house", "street", "agents", "work", "with", "an", "and", "on":
			en++
		}
	}
	if es > en {
		return "es"
	}
	return "en"
}
