package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/response"
)

// reportInputs maps the intake service's fields to the report form's inputs.
var reportInputs = map[string]string{
	"kind": "kind", "address": "address", "zip": "zip", "when": "when", "agents": "agents", "vehicles": "vehicles",
	"attire": "attire", "description": "description", "phone": "phone", "language": "language",
}

// reportFields are the inputs a report form sends, in order.
var reportFields = []string{"kind", "address", "zip", "when", "hours", "agents", "vehicles", "attire", "description", "phone", "language"}

// reportWhen are the choices of "when did it happen", with how long ago each means;
// "earlier" reads the hours input.
var reportWhen = []struct {
	Value string
	Ago   time.Duration
}{{"now", 0}, {"15m", 15 * time.Minute}, {"1h", time.Hour}, {"earlier", -1}}

// reportFormChoices are the options a report form offers.
type reportFormChoices struct {
	Kinds []response.Kind
	When  []string
	Max   int // the most hours ago "earlier" may say
}

func reportChoices() reportFormChoices {
	c := reportFormChoices{Kinds: response.Kinds(), Max: int(response.MaxAgo / time.Hour)}
	for _, w := range reportWhen {
		c.When = append(c.When, w.Value)
	}
	return c
}

// readReportForm reads a submitted report form: its values to show again, and the input
// for the intake service. Numbers that are not numbers become values the service refuses
// (so that every problem shows at once).
func readReportForm(r *http.Request, name string) (*form, response.ReportInput) {
	f := newForm(name, reportInputs)
	for _, n := range reportFields {
		f.Values[n] = field(r, n)
	}
	if f.Values["when"] == "" {
		f.Values["when"] = "now"
	}
	in := response.ReportInput{
		Kind: response.Kind(f.Values["kind"]), Address: r.PostFormValue("address"), ZIP: f.Values["zip"],
		Agents: reportCount(f.Values["agents"]), Vehicles: reportCount(f.Values["vehicles"]),
		Attire: r.PostFormValue("attire"), Description: r.PostFormValue("description"), Phone: f.Values["phone"],
		Language: f.Values["language"], Ago: -1,
	}
	for _, w := range reportWhen {
		if w.Value != f.Values["when"] {
			continue
		}
		in.Ago = w.Ago
		if w.Ago < 0 {
			if h, err := strconv.Atoi(f.Values["hours"]); err == nil && h > 0 {
				in.Ago = time.Duration(h) * time.Hour
			}
		}
	}
	return f, in
}

// reportCount reads a count typed in a form: 0 when empty, -1 (refused) when not a number.
func reportCount(v string) int {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}
