package web

import (
	"html"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/i18n"
	"solidarity/internal/response"
)

// boardRow is one report as a board row shows it, every word already translated, so that
// the same row renders in the page and alone (for the live board).
type boardRow struct {
	ID        int64
	URL       string
	Kind      string
	KindCode  string
	State     string
	StateCode string
	Source    string
	ZIP       string
	Created   time.Time
	// CreatedISO is Created in RFC 3339, for <time> and the live script.
	CreatedISO string
	Age        string
	// Grouped says how many reports the entry stands for, "" for one.
	Grouped string
	// Announce is what a screen reader says when the row appears on a live board.
	Announce string
	// Merged names the report this one was grouped or merged into, "" when none.
	Merged string
}

// boardRowOf builds the row of report r in the language of loc, its age at now.
func boardRowOf(loc *i18n.Localizer, r response.Report, now time.Time) boardRow {
	row := boardRow{
		ID: r.ID, URL: "/response/reports/" + strconv.FormatInt(r.ID, 10), Kind: loc.T(r.Kind.Key()), KindCode: string(r.Kind),
		State: loc.T(r.State.Key()), StateCode: string(r.State), Source: loc.T(response.SourceKey(r.Source)), ZIP: r.ZIP,
		Created: r.CreatedAt, CreatedISO: r.CreatedAt.UTC().Format(time.RFC3339), Age: reportAge(loc, now, r.CreatedAt),
	}
	if r.Grouped > 0 {
		row.Grouped = loc.N("response.board.grouped", r.Grouped+1)
	}
	if r.MergedInto != 0 {
		row.Merged = "#" + strconv.FormatInt(r.MergedInto, 10)
	}
	zip := r.ZIP
	if zip == "" {
		zip = loc.T("response.board.no_zip")
	}
	row.Announce = loc.T("response.board.announce", map[string]any{"Kind": row.Kind, "ZIP": zip})
	return row
}

// HTML writes the row's <tr>. The board writes a thousand rows and more, and
// html/template's escapers (a reflective call per value) were three quarters of its time;
// so rows are written here, every value escaped with html.EscapeString, and the board's
// template and the live script's row route both use this. Every word in it comes from the
// catalogs through the row's fields.
func (row boardRow) HTML() template.HTML {
	var b strings.Builder
	b.Grow(512)
	id := strconv.FormatInt(row.ID, 10)
	e := html.EscapeString
	b.WriteString(`<tr id="report-` + id + `" class="board-row board-` + e(row.StateCode) + `" data-created="` + e(row.CreatedISO) +
		`" data-announce="` + e(row.Announce) + `">` + "\n")
	b.WriteString(`    <th scope="row"><a href="` + e(row.URL) + `">#` + id + `</a>`)
	if row.Grouped != "" {
		b.WriteString(` <span class="crm-badge">` + e(row.Grouped) + `</span>`)
	}
	b.WriteString("</th>\n" + `    <td><time datetime="` + e(row.CreatedISO) + `" data-age>` + e(row.Age) + "</time></td>\n")
	for _, cell := range []string{row.ZIP, row.Kind} {
		b.WriteString("    <td>" + e(cell) + "</td>\n")
	}
	b.WriteString(`    <td><span class="board-state">` + e(row.State) + "</span></td>\n")
	b.WriteString("    <td>" + e(row.Source) + "</td>\n  </tr>")
	return template.HTML(b.String()) // every value above is escaped
}

// reportAge says how long ago t was, in words: "just now", "5 min ago", "3 h ago".
func reportAge(loc *i18n.Localizer, now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return loc.T("response.age.now")
	case d < time.Hour:
		return loc.N("response.age.minutes", int(d/time.Minute))
	case d < 48*time.Hour:
		return loc.N("response.age.hours", int(d/time.Hour))
	default:
		return loc.N("response.age.days", int(d/(24*time.Hour)))
	}
}

// responseBoardRow answers one row of the board, for the live board's script: the row's
// HTML, or 204 No Content when the report is not (or no longer) on a board with the
// filters of the query (closed, merged, another area or state).
func (s *Server) responseBoardRow(w http.ResponseWriter, r *http.Request) {
	id, err := crmPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	rep, on, err := s.Response.BoardEntry(r.Context(), actor(r), id, response.BoardFilter{Area: q.Get("area"), State: response.State(q.Get("state"))})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !on {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(boardRowOf(stateOf(r).loc, rep, s.DB.Now()).HTML()))
}
