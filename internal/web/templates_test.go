package web

import (
	"html"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"solidarity/internal/i18n"
)

var (
	actionRe  = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	commentRe = regexp.MustCompile(`(?s)<!--.*?-->`)
	tagRe     = regexp.MustCompile(`(?s)<[^>]*>`)
	attrRe    = regexp.MustCompile(`\b(alt|title|placeholder|aria-label|aria-description|label)="([^"]*)"`)
	keyRe     = regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
)

// Every word a visitor can read comes from the catalogs: a template holds no literal text
// outside tags, and no literal in attributes that are read aloud or shown.
func TestTemplatesHaveNoLiteralText(t *testing.T) {
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFS.ReadFile(p)
		src := actionRe.ReplaceAllString(string(b), "§")
		src = commentRe.ReplaceAllString(src, "")
		for _, m := range attrRe.FindAllStringSubmatch(src, -1) {
			if hasLetter(m[2]) {
				t.Errorf("%s: untranslated %s=%q", p, m[1], m[2])
			}
		}
		text := html.UnescapeString(tagRe.ReplaceAllString(src, " "))
		for _, line := range strings.Split(text, "\n") {
			if hasLetter(line) {
				t.Errorf("%s: untranslated text %q", p, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Every key a template asks for exists in the English catalog (and so, by the catalog
// test, in every language).
func TestTemplateKeysExist(t *testing.T) {
	keys, err := i18n.Keys("en")
	if err != nil {
		t.Fatal(err)
	}
	_ = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFS.ReadFile(p)
		for _, m := range keyRe.FindAllStringSubmatch(string(b), -1) {
			if !keys[m[1]] {
				t.Errorf("%s: key %q is not in the catalog", p, m[1])
			}
		}
		return nil
	})
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
