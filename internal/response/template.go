package response

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"solidarity/internal/errs"
)

// AlertKind says whether an alert warns of activity or says it is over.
type AlertKind string

// The kinds of alert.
const (
	AlertKindAlert    AlertKind = "alert"
	AlertKindAllClear AlertKind = "all_clear"
)

// Valid reports whether k is a known kind.
func (k AlertKind) Valid() bool { return k == AlertKindAlert || k == AlertKindAllClear }

// AlertTemplate is a reusable alert text in both languages. Its bodies may hold only the
// safe placeholders {{.Area}} (the ZIP codes alerted), {{.Time}} (when the activity was
// seen) and {{.Kind}} (what was reported, in the subscriber's language): nothing that can
// name a home.
type AlertTemplate struct {
	ID        int64
	Name      string
	Kind      AlertKind
	BodyEn    string
	BodyEs    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Limits on alert texts. An alert must be read at a glance; 600 characters is at most ten
// SMS segments in Spanish (accents send as UCS-2, 67 characters a segment), with room for
// the stop notice.
const (
	maxAlertBody         = 600
	maxAlertTemplateName = 100
)

// alertPlaceholderRe finds every {{…}} in a body; only the three safe ones are allowed.
var alertPlaceholderRe = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// alertPlaceholders are the placeholders an alert body may use.
var alertPlaceholders = map[string]bool{".Area": true, ".Time": true, ".Kind": true}

// cleanAlertBody trims a body and returns the key of its problem, or "".
func cleanAlertBody(body string) (string, string) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	switch {
	case body == "":
		return body, "alerts.body.required"
	case !utf8.ValidString(body) || strings.IndexFunc(body, func(r rune) bool { return r < ' ' && r != '\n' || r == 0x7f }) >= 0:
		return body, "alerts.body.invalid"
	case utf8.RuneCountInString(body) > maxAlertBody:
		return body, "alerts.body.too_long"
	}
	for _, m := range alertPlaceholderRe.FindAllStringSubmatch(body, -1) {
		if !alertPlaceholders[m[1]] {
			return body, "alerts.body.placeholder"
		}
	}
	if rest := alertPlaceholderRe.ReplaceAllString(body, ""); strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
		return body, "alerts.body.placeholder"
	}
	if alertStreetPattern(body) {
		return body, "alerts.body.address"
	}
	return body, ""
}

// Validate cleans the template and reports every problem as field errors.
func (t *AlertTemplate) Validate() error {
	var l errs.List
	t.Name = strings.Join(strings.Fields(t.Name), " ")
	switch {
	case t.Name == "":
		l.Add("name", "alerts.template.name_required")
	case utf8.RuneCountInString(t.Name) > maxAlertTemplateName || !utf8.ValidString(t.Name):
		l.Add("name", "alerts.template.name_too_long")
	}
	if !t.Kind.Valid() {
		l.Add("kind", "alerts.kind.invalid")
	}
	var problem string
	if t.BodyEn, problem = cleanAlertBody(t.BodyEn); problem != "" {
		l.Add("body_en", problem)
	}
	if t.BodyEs, problem = cleanAlertBody(t.BodyEs); problem != "" {
		l.Add("body_es", problem)
	}
	return l.Err()
}

// alertValues are what the placeholders of one alert stand for, in one language.
type alertValues struct {
	Area, Time, Kind string
}

// renderAlertBody fills the placeholders of a body that passed cleanAlertBody. It is a
// plain substitution, not a template engine: a body can call nothing.
func renderAlertBody(body string, v alertValues) string {
	return alertPlaceholderRe.ReplaceAllStringFunc(body, func(m string) string {
		switch alertPlaceholderRe.FindStringSubmatch(m)[1] {
		case ".Area":
			return v.Area
		case ".Time":
			return v.Time
		case ".Kind":
			return v.Kind
		}
		return ""
	})
}
