package response

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Report input is cleaned, and every problem is named at once.
func TestReportInputValidate(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	ok := ReportInput{Kind: KindHome, Address: "  12   Elm\tSt ", ZIP: "78702-1234", Ago: 15 * time.Minute, Agents: 3,
		Phone: "(512) 555-0100", Language: "Español", Description: " line one\r\nline two "}
	f, err := ok.validate(now)
	if err != nil {
		t.Fatal(err)
	}
	if f.Address != "12 Elm St" || f.ZIP != "78702" || !f.ObservedAt.Equal(now.Add(-15*time.Minute)) || f.phone != "+15125550100" ||
		f.Language != "es" || f.Description != "line one\nline two" {
		t.Errorf("cleaned = %+v", f)
	}
	for _, c := range []struct {
		name string
		in   ReportInput
		want []string
	}{
		{"empty", ReportInput{}, []string{"kind", "address"}},
		{"zip only is enough", ReportInput{Kind: KindOther, ZIP: "10001"}, nil},
		{"bad zip", ReportInput{Kind: KindOther, ZIP: "1234"}, []string{"zip"}},
		{"too long ago", ReportInput{Kind: KindOther, ZIP: "10001", Ago: MaxAgo + time.Hour}, []string{"when"}},
		{"refused ago", ReportInput{Kind: KindOther, ZIP: "10001", Ago: -1}, []string{"when"}},
		{"future", ReportInput{Kind: KindOther, ZIP: "10001", ObservedAt: now.Add(time.Hour)}, []string{"when"}},
		{"counts", ReportInput{Kind: KindOther, ZIP: "10001", Agents: -1, Vehicles: 1000}, []string{"agents", "vehicles"}},
		{"phone", ReportInput{Kind: KindOther, ZIP: "10001", Phone: "555"}, []string{"phone"}},
		{"control characters", ReportInput{Kind: KindOther, Address: "a\x00b", Attire: "x\x07"}, []string{"address", "attire"}},
		{"long description", ReportInput{Kind: KindOther, ZIP: "10001", Description: strings.Repeat("é", maxDescription+1)}, []string{"description"}},
		{"unknown kind", ReportInput{Kind: "raid", ZIP: "10001"}, []string{"kind"}},
	} {
		_, err := c.in.validate(now)
		got := errsFieldsOf(err)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: fields %v, want %v", c.name, got, c.want)
		}
	}
}

// The allowed transitions follow the loop; closed is final.
func TestStateTransitions(t *testing.T) {
	allowed := map[[2]State]bool{
		{StateNew, StateVerifying}: true, {StateVerifying, StateConfirmed}: true, {StateVerifying, StateUnconfirmed}: true,
		{StateVerifying, StateFalseAlarm}: true, {StateConfirmed, StateClosed}: true, {StateUnconfirmed, StateClosed}: true,
		{StateFalseAlarm, StateClosed}: true,
	}
	for pair := range allowed {
		if !pair[0].CanMove(pair[1]) {
			t.Errorf("%s → %s refused", pair[0], pair[1])
		}
	}
	for _, bad := range [][2]State{{StateNew, StateConfirmed}, {StateNew, StateClosed}, {StateVerifying, StateClosed}, {StateClosed, StateNew}, {StateClosed, StateVerifying}} {
		if bad[0].CanMove(bad[1]) {
			t.Errorf("%s → %s allowed", bad[0], bad[1])
		}
	}
}
