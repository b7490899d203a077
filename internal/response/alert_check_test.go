package response

import "testing"

// The shape check refuses what reads as a street address in either language and lets an
// area, a time or a count through.
func TestAlertStreetPattern(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"Agents seen near {{.Area}} at {{.Time}}. Stay inside.", false},
		{"Verified report: {{.Kind}} in {{.Area}} at {{.Time}}.", false},
		{"2 vehicles on Main St, stay away from the area.", false},
		{"Three agents at the corner of 5th and Main.", false},
		{"Agentes en la zona {{.Area}} a las {{.Time}}. No abra la puerta.", false},
		{"Agents at 1234 Elm Street right now", true},
		{"Agents at 45 N. Oak Ave.", true},
		{"ICE at 1600 Martin Luther King Jr Blvd", true},
		{"Agentes en Calle Olmo 45", true},
		{"Agentes en Av. Juárez 1200, col. Centro", true},
		{"Agentes en la avenida de los Insurgentes 300", true},
		{"Knocking on doors, Apt 4", true},
		{"Knocking at unit #12", true},
		{"Edificio azul, depto 3", true},
		{"Agents knocked at apartment no. 7", true},
	}
	for _, c := range cases {
		if got := alertStreetPattern(c.text); got != c.want {
			t.Errorf("alertStreetPattern(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// The report's own address is found whole, or as its number and street in either order,
// whatever the case, accents and punctuation.
func TestAlertMentionsAddress(t *testing.T) {
	const address = "1234 Elm Street, Apt 5, Los Angeles, CA 90001"
	cases := []struct {
		text string
		want bool
	}{
		{"Agents at 1234 elm street now", true},
		{"Agents at 1234 Elm", true},
		{"agents near elm 1234", true},
		{"Agents near 90001 at 14:05 UTC", false},
		{"1234 people marched on Oak", false},
		{"Agents on Elm", false},
	}
	for _, c := range cases {
		if got := alertMentionsAddress(c.text, address); got != c.want {
			t.Errorf("alertMentionsAddress(%q) = %v, want %v", c.text, got, c.want)
		}
	}
	if !alertMentionsAddress("Agentes en calle Olmo 45 ahora", "Calle Olmo 45, Ciudad") {
		t.Error("a Spanish address was not found")
	}
	if alertMentionsAddress("anything", "") {
		t.Error("an empty address matched")
	}
}

// Bodies hold only the three safe placeholders, which a plain substitution fills.
func TestAlertBodies(t *testing.T) {
	cases := []struct {
		body, problem string
	}{
		{"Agents near {{.Area}} at {{.Time}}: {{ .Kind }}.", ""},
		{"", "alerts.body.required"},
		{"Report at {{.Address}}", "alerts.body.placeholder"},
		{"{{call .X}}", "alerts.body.placeholder"},
		{"Broken {{.Area}", "alerts.body.placeholder"},
		{"Agents at 12 Elm St", "alerts.body.address"},
		{"bad \x00 byte", "alerts.body.invalid"},
		{string(make([]rune, 601)), "alerts.body.invalid"},
	}
	for _, c := range cases {
		if _, got := cleanAlertBody(c.body); got != c.problem {
			t.Errorf("cleanAlertBody(%q) = %q, want %q", c.body, got, c.problem)
		}
	}
	long := ""
	for range 601 {
		long += "a"
	}
	if _, got := cleanAlertBody(long); got != "alerts.body.too_long" {
		t.Errorf("a 601-character body: %q", got)
	}
	got := renderAlertBody("Agents near {{.Area}} at {{ .Time }}: {{.Kind}}.", alertValues{Area: "90001, 90002", Time: "14:05 UTC", Kind: "a checkpoint"})
	if want := "Agents near 90001, 90002 at 14:05 UTC: a checkpoint."; got != want {
		t.Errorf("render = %q, want %q", got, want)
	}
}

// ZIP codes are five digits the gazetteer knows, ZIP+4 shortened, sorted, without repeats,
// ten at most.
func TestParseAlertZIPs(t *testing.T) {
	got, err := ParseAlertZIPs([]string{"90002", " 90001-1234 ", "90002", ""}, "zips")
	if err != nil || len(got) != 2 || got[0] != "90001" || got[1] != "90002" {
		t.Fatalf("got %v %v", got, err)
	}
	for _, bad := range [][]string{{"9000"}, {"abcde"}, {"00000"}, {"99999"}, {}, {"90001", "90002", "90003", "90004", "90005", "90006", "90007", "90008", "90010", "90011", "90012"}} {
		if _, err := ParseAlertZIPs(bad, "zips"); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
