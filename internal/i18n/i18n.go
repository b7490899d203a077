// Package i18n holds Solidarity's message catalogs (one English and one Spanish TOML file
// per module, embedded), picks the visitor's language, and translates keys with CLDR
// plural rules. A missing translation falls back to English; a test keeps both complete.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.toml
var locales embed.FS

// Lang describes one language the system speaks.
type Lang struct {
	Code string // BCP 47, e.g. "es"
	Name string // its own name, e.g. "Español"
	Dir  string // "ltr" or "rtl"
}

// Langs are the supported languages, English first (the fallback).
var Langs = []Lang{
	{Code: "en", Name: "English", Dir: "ltr"},
	{Code: "es", Name: "Español", Dir: "ltr"},
}

// Catalog is the loaded set of messages.
type Catalog struct {
	bundle  *goi18n.Bundle
	matcher language.Matcher
	byCode  map[string]Lang
	locs    map[string]*Localizer
}

// Load reads the embedded catalogs.
func Load() (*Catalog, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	files, err := fs.Glob(locales, "locales/*.toml")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := locales.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(data, path.Base(f)); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", f, err)
		}
	}
	c := &Catalog{bundle: b, byCode: map[string]Lang{}, locs: map[string]*Localizer{}}
	tags := make([]language.Tag, len(Langs))
	for i, l := range Langs {
		tags[i] = language.MustParse(l.Code)
		c.byCode[l.Code] = l
		c.locs[l.Code] = &Localizer{Lang: l, l: goi18n.NewLocalizer(b, l.Code, "en")}
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// Supported reports whether code is one of Langs.
func (c *Catalog) Supported(code string) bool {
	_, ok := c.byCode[code]
	return ok
}

// Negotiate picks the language: an explicit choice (query or cookie) when supported, else
// the best match for an Accept-Language header, else English.
func (c *Catalog) Negotiate(explicit []string, acceptLanguage string) string {
	for _, e := range explicit {
		if e = strings.ToLower(strings.TrimSpace(e)); c.Supported(e) {
			return e
		}
	}
	if acceptLanguage != "" {
		tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
		if err == nil && len(tags) > 0 {
			_, idx, conf := c.matcher.Match(tags...)
			if conf != language.No {
				return Langs[idx].Code
			}
		}
	}
	return "en"
}

// Localizer returns the translator for a language code (English when unknown).
func (c *Catalog) Localizer(code string) *Localizer {
	if l, ok := c.locs[code]; ok {
		return l
	}
	return c.locs["en"]
}

// Localizer translates message keys into one language.
type Localizer struct {
	Lang Lang
	l    *goi18n.Localizer
}

// T translates key; data (a map or struct) fills {{.Name}} placeholders. An unknown key
// comes back as itself so that it is visible, and the catalog test catches it.
func (l *Localizer) T(key string, data ...any) string {
	cfg := &goi18n.LocalizeConfig{MessageID: key}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
	}
	s, err := l.l.Localize(cfg)
	if err != nil {
		return key
	}
	return s
}

// N translates a key with plural forms for count; {{.Count}} is available to the message.
func (l *Localizer) N(key string, count int, data ...map[string]any) string {
	td := map[string]any{"Count": count}
	if len(data) > 0 {
		for k, v := range data[0] {
			td[k] = v
		}
	}
	s, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: key, PluralCount: count, TemplateData: td})
	if err != nil {
		return key
	}
	return s
}

// Has reports whether key exists in the language's own catalog (without fallback).
func (c *Catalog) Has(code, key string) bool {
	keys, err := Keys(code)
	if err != nil {
		return false
	}
	_, ok := keys[key]
	return ok
}

// Keys lists every message id of a language's catalog files, read from the embedded TOML
// the same way go-i18n reads it (nested tables give dotted ids).
func Keys(code string) (map[string]bool, error) {
	files, err := fs.Glob(locales, "locales/*."+code+".toml")
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, f := range files {
		var m map[string]any
		if _, err := toml.DecodeFS(locales, f, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", f, err)
		}
		flatten("", m, out)
	}
	return out, nil
}

var pluralForms = map[string]bool{"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true, "description": true}

func flatten(prefix string, m map[string]any, out map[string]bool) {
	for k, v := range m {
		id := k
		if prefix != "" {
			id = prefix + "." + k
		}
		sub, ok := v.(map[string]any)
		if !ok {
			out[id] = true
			continue
		}
		isMessage := false
		for sk := range sub {
			if pluralForms[sk] {
				isMessage = true
			}
		}
		if isMessage {
			out[id] = true
		} else {
			flatten(id, sub, out)
		}
	}
}

// Files lists the catalog files, for tests.
func Files() []string {
	files, _ := fs.Glob(locales, "locales/*.toml")
	sort.Strings(files)
	return files
}
