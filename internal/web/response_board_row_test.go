package web

import (
	"strings"
	"testing"
	"time"
)

// A board row written by hand escapes every value, in text and in attributes.
func TestBoardRowEscapes(t *testing.T) {
	row := boardRow{ID: 7, URL: "/response/reports/7", Kind: `<script>alert(1)</script>`, StateCode: `new" onclick="x`,
		State: "New & <b>", Source: "'web'", ZIP: "78702", Created: time.Unix(0, 0), CreatedISO: `1970"><img>`,
		Age: "1 min", Grouped: "2 <reports>", Announce: `a"b`}
	got := string(row.HTML())
	for _, bad := range []string{"<script>", `" onclick="`, "<b>", "<img>", "<reports>", `a"b`, "'web'"} {
		if strings.Contains(got, bad) {
			t.Errorf("row holds %q unescaped:\n%s", bad, got)
		}
	}
	for _, want := range []string{`<tr id="report-7"`, `<a href="/response/reports/7">#7</a>`, "&lt;script&gt;", "New &amp; &lt;b&gt;", "78702"} {
		if !strings.Contains(got, want) {
			t.Errorf("row lacks %q:\n%s", want, got)
		}
	}
}
