package i18n_test

import (
	"sort"
	"strings"
	"testing"

	"solidarity/internal/i18n"
)

// Every key must exist in every language, and no translation may be left empty.
func TestCatalogsComplete(t *testing.T) {
	all := map[string]map[string]bool{}
	for _, l := range i18n.Langs {
		keys, err := i18n.Keys(l.Code)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == 0 {
			t.Fatalf("%s catalog is empty", l.Code)
		}
		all[l.Code] = keys
	}
	for _, a := range i18n.Langs {
		for _, b := range i18n.Langs {
			var missing []string
			for k := range all[a.Code] {
				if !all[b.Code][k] {
					missing = append(missing, k)
				}
			}
			sort.Strings(missing)
			if len(missing) > 0 {
				t.Errorf("%d keys in %s are missing in %s: %s", len(missing), a.Code, b.Code, strings.Join(missing, ", "))
			}
		}
	}
	// Each module has both files.
	files := map[string]int{}
	for _, f := range i18n.Files() {
		base := f[strings.LastIndex(f, "/")+1:]
		parts := strings.Split(base, ".")
		files[parts[0]]++
	}
	for module, n := range files {
		if n != len(i18n.Langs) {
			t.Errorf("module %s has %d catalog files, want %d", module, n, len(i18n.Langs))
		}
	}
}

func TestTranslateAndPlural(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	es := c.Localizer("es")
	if got := es.T("nav.skip"); got == "nav.skip" || got == c.Localizer("en").T("nav.skip") {
		t.Errorf("es nav.skip = %q, want a Spanish translation", got)
	}
	if got := es.N("common.results", 1); !strings.HasPrefix(got, "1 ") {
		t.Errorf("plural one = %q", got)
	}
	if got := c.Localizer("en").N("common.results", 3); got != "3 results" {
		t.Errorf("plural other = %q", got)
	}
	if got := c.Localizer("fr").T("nav.skip"); got != c.Localizer("en").T("nav.skip") {
		t.Errorf("unknown language should fall back to English, got %q", got)
	}
}

func TestNegotiate(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		explicit []string
		accept   string
		want     string
	}{
		{nil, "", "en"},
		{nil, "es-MX,es;q=0.9,en;q=0.5", "es"},
		{nil, "fr-FR, en;q=0.5", "en"},
		{nil, "de", "en"},
		{[]string{"es"}, "en-US", "es"},
		{[]string{"xx", "es"}, "en", "es"},
		{[]string{"", ""}, "es-419", "es"},
	}
	for _, tc := range cases {
		if got := c.Negotiate(tc.explicit, tc.accept); got != tc.want {
			t.Errorf("Negotiate(%v, %q) = %q, want %q", tc.explicit, tc.accept, got, tc.want)
		}
	}
}
