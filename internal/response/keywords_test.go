package response

import "testing"

func TestClassifyKeyword(t *testing.T) {
	cases := []struct {
		body string
		k    keyword
		lang string
	}{
		{"STOP", keywordStop, "en"}, {" stop ", keywordStop, "en"}, {"Stop.", keywordStop, "en"},
		{"STOPALL", keywordStop, "en"}, {"unsubscribe", keywordStop, "en"}, {"CANCEL", keywordStop, "en"},
		{"end", keywordStop, "en"}, {"QUIT", keywordStop, "en"}, {"ALTO", keywordStop, "es"}, {"alto!", keywordStop, "es"},
		{"HELP", keywordHelp, "en"}, {"info", keywordHelp, "en"}, {"AYUDA", keywordHelp, "es"}, {"¿Ayuda?", keywordHelp, "es"},
		{"YES", keywordYes, "en"}, {"yes!", keywordYes, "en"}, {"SI", keywordYes, "es"}, {"sí", keywordYes, "es"},
		{"SÍ.", keywordYes, "es"}, {"Si", keywordYes, "es"},
		{"NO", keywordNo, ""}, {"no.", keywordNo, ""},
		{"", keywordNone, ""}, {"stop it now", keywordNone, ""}, {"no sé si es la migra", keywordNone, ""},
		{"yes there are agents at 5th street", keywordNone, ""}, {"parar", keywordNone, ""},
	}
	for _, c := range cases {
		k, lang := classifyKeyword(c.body)
		if k != c.k || lang != c.lang {
			t.Errorf("%q: %v %q, want %v %q", c.body, k, lang, c.k, c.lang)
		}
	}
}

func TestGuessLanguage(t *testing.T) {
	for body, want := range map[string]string{
		"hay agentes de la migra en la calle 5":         "es",
		"Migración en mi trabajo":                       "es",
		"there are agents at the house on 5th":          "en",
		"ICE vans outside the school":                   "en",
		"agentes en la casa de mi vecino, 2 camionetas": "es",
	} {
		if got := guessLanguage(body); got != want {
			t.Errorf("%q: %s, want %s", body, got, want)
		}
	}
}
