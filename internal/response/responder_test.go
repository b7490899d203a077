package response

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseHours(t *testing.T) {
	cases := []struct {
		text string
		want []Shift
		ok   bool
	}{
		{"", nil, true},
		{"8-12", []Shift{{time.Monday, 480, 720}}, true},
		{"08:00-12:30, 18:30-23", []Shift{{time.Monday, 480, 750}, {time.Monday, 1110, 1380}}, true},
		{"0-24", []Shift{{time.Monday, 0, 1440}}, true},
		{"22-6", []Shift{{time.Monday, 1320, 1440}, {time.Tuesday, 0, 360}}, true},
		{"18–24", []Shift{{time.Monday, 1080, 1440}}, true},
		{"8", nil, false}, {"8-8", nil, false}, {"25-3", nil, false}, {"8:60-9", nil, false},
		{"24:30-1", nil, false}, {"a-b", nil, false}, {"8-9,9-10,10-11,11-12,12-13,13-14,14-15", nil, false},
		{strings.Repeat("8-9 ", 40), nil, false},
	}
	for _, c := range cases {
		got, ok := parseHours(time.Monday, c.text)
		if ok != c.ok || ok && !slices.Equal(got, c.want) {
			t.Errorf("%q: %v %v, want %v %v", c.text, got, ok, c.want, c.ok)
		}
	}
	// Sunday's overnight range runs into Monday (day 0 after day 6 wraps correctly).
	got, _ := parseHours(time.Saturday, "23-1")
	if !slices.Equal(got, []Shift{{time.Saturday, 1380, 1440}, {time.Sunday, 0, 60}}) {
		t.Errorf("Saturday 23-1: %v", got)
	}
	if m := mergeShifts([]Shift{{1, 600, 700}, {1, 480, 620}, {0, 10, 20}, {1, 700, 710}}); !slices.Equal(m, []Shift{{0, 10, 20}, {1, 480, 710}}) {
		t.Errorf("merge: %v", m)
	}
}

// Availability is on call and, with hours, inside them in the responder's own time zone,
// whatever the server's clock zone: a fixed clock checks both sides of a range.
func TestAvailableAt(t *testing.T) {
	r := Responder{OnCall: true, TimeZone: "America/Los_Angeles",
		Hours: []Shift{{time.Monday, 18 * 60, 23 * 60}, {time.Tuesday, 0, 120}}}
	la, _ := time.LoadLocation("America/Los_Angeles")
	at := func(day, hour, minute int) time.Time {
		// 2026-03-02 is a Monday.
		return time.Date(2026, 3, day, hour, minute, 0, 0, la).UTC()
	}
	cases := []struct {
		t    time.Time
		want bool
	}{
		{at(2, 17, 59), false}, {at(2, 18, 0), true}, {at(2, 22, 59), true}, {at(2, 23, 0), false},
		{at(3, 1, 30), true}, {at(3, 2, 0), false}, {at(4, 19, 0), false},
	}
	for _, c := range cases {
		if got := r.AvailableAt(c.t); got != c.want {
			t.Errorf("%v (LA %v): %v, want %v", c.t, c.t.In(la), got, c.want)
		}
	}
	r.OnCall = false
	if r.AvailableAt(at(2, 19, 0)) {
		t.Error("off call but available")
	}
	any := Responder{OnCall: true, TimeZone: "America/New_York"}
	if !any.AvailableAt(at(4, 3, 0)) {
		t.Error("on call without hours is not available")
	}
}

func TestResponderInputValidate(t *testing.T) {
	ok := ResponderInput{Languages: []string{"es", "en", "es"}, ZIPs: []string{"10002", "10001", "10001-1234"},
		Counties: []string{"06037"}, TimeZone: "America/New_York", Channel: ResponderSMS, Hours: [7]string{1: "18-23"}}
	f, err := ok.validate()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.languages, []string{"es", "en"}) || !slices.Equal(f.zips, []string{"10001", "10002"}) || len(f.hours) != 1 {
		t.Errorf("cleaned: %+v", f)
	}
	bad := ResponderInput{Languages: []string{"xx"}, ZIPs: []string{"99999"}, Counties: []string{"12"}, TimeZone: "Mars/Base",
		Channel: "pigeon", TrainedOn: "yesterday", Hours: [7]string{3: "late"}}
	_, err = bad.validate()
	fields := errsFields(err)
	for _, want := range []string{"trained_on", "languages", "zips", "counties", "time_zone", "channel", "hours_3"} {
		if !slices.Contains(fields, want) {
			t.Errorf("no error on %s (got %v)", want, fields)
		}
	}
	if _, err := (&ResponderInput{Languages: []string{"en"}, TimeZone: "America/Chicago", Channel: ResponderEmail}).validate(); !slices.Contains(errsFields(err), "zips") {
		t.Errorf("no zone accepted: %v", err)
	}
}
