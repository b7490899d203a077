package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"solidarity/internal/people"
)

// networkPage is the data of the public network directory.
type networkPage struct {
	Region  string   // the region asked for, "" for all
	Regions []string // the regions with listed organizations, for the picker
	Groups  []networkGroup
	Count   int
}

// networkGroup is the organizations of one region, or of one country abroad (Abroad, with
// Name the country's name in the page's language); Name "" gathers those with neither.
type networkGroup struct {
	Name    string
	Abroad  bool
	Entries []networkEntry
}

// networkEntry is one organization as the directory shows it, in the page's language.
type networkEntry struct {
	Name    string
	KindKey string
	Website string
	Summary string
	// SummaryLang is the language of Summary when it is not the page's (only the other
	// language's summary was written).
	SummaryLang string
}

// networkList shows the organizations that agreed to be listed, by region, in the page's
// language. It shows nothing about their people.
func (s *Server) networkList(w http.ResponseWriter, r *http.Request) {
	region := strings.TrimSpace(r.URL.Query().Get("region"))
	if len(region) > 100 {
		region = ""
	}
	entries, err := s.People.PublicDirectory(r.Context(), region)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	regions, err := s.People.DirectoryRegions(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := networkPage{Region: region, Regions: regions, Count: len(entries)}
	lang := stateOf(r).lang
	index := map[string]int{}
	for _, e := range entries {
		g := networkGroup{Name: e.Region}
		if g.Name == "" && e.Country != "" && e.Country != "US" {
			g = networkGroup{Name: countryName(e.Country, lang), Abroad: true}
		}
		key := strconv.FormatBool(g.Abroad) + g.Name
		i, ok := index[key]
		if !ok {
			i = len(page.Groups)
			index[key] = i
			page.Groups = append(page.Groups, g)
		}
		page.Groups[i].Entries = append(page.Groups[i].Entries, directoryEntry(e, lang))
	}
	sortGroups(page.Groups)
	s.render(w, r, http.StatusOK, "public_network", "public.network.title", page)
}

// directoryEntry picks the summary in lang, or else the one that was written.
func directoryEntry(e people.DirectoryEntry, lang string) networkEntry {
	out := networkEntry{Name: e.Name, KindKey: "people.org.kind." + string(e.Kind), Website: e.Website}
	mine, other, otherLang := e.SummaryEn, e.SummaryEs, "es"
	if lang == "es" {
		mine, other, otherLang = e.SummaryEs, e.SummaryEn, "en"
	}
	switch {
	case mine != "":
		out.Summary = mine
	case other != "":
		out.Summary, out.SummaryLang = other, otherLang
	}
	return out
}

// sortGroups orders the regions by name, then the countries abroad by name, then the
// group of organizations with neither.
func sortGroups(groups []networkGroup) {
	rank := func(g networkGroup) int {
		switch {
		case g.Name == "":
			return 2
		case g.Abroad:
			return 1
		}
		return 0
	}
	slices.SortStableFunc(groups, func(a, b networkGroup) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a.Name, b.Name)
	})
}

// countryName is the name of a country (an ISO code) in lang, or the code when unknown.
func countryName(code, lang string) string {
	region, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.Regions(language.Make(lang)).Name(region); name != "" {
		return name
	}
	return code
}
