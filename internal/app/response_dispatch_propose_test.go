package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"solidarity/internal/app"
	"solidarity/internal/response"
)

// The board proposes the responders available now, nearest to the report's ZIP centroid
// first, with real ZIP codes: a county zone holding the report's ZIP is at distance 0,
// and responders off call or outside their hours (on a fixed clock) are left out.
func TestRdiProposeNearestFirst(t *testing.T) {
	rdiEachApp(t, func(t *testing.T, a *app.App) {
		ny, err := time.LoadLocation("America/New_York")
		if err != nil {
			t.Fatal(err)
		}
		// Monday 2 March 2026, 19:00 in New York.
		rdiClock(a, time.Date(2026, 3, 2, 19, 0, 0, 0, ny))
		report := rdiReport(t, a, "10001", "350 Fifth Avenue")
		county := rdiResponder(t, a, rdiResponderSpec{Name: "Ana County", Counties: []string{"36061"}})
		chelsea := rdiResponder(t, a, rdiResponderSpec{Name: "Beto Chelsea", ZIPs: []string{"10011"}})
		brooklyn := rdiResponder(t, a, rdiResponderSpec{Name: "Carla Brooklyn", ZIPs: []string{"11201", "11215"}})
		la := rdiResponder(t, a, rdiResponderSpec{Name: "Dora LA", ZIPs: []string{"90012"}})
		laCounty := rdiResponder(t, a, rdiResponderSpec{Name: "Eva LA County", Counties: []string{"06037"}})
		evening := rdiResponder(t, a, rdiResponderSpec{Name: "Fede Evenings", ZIPs: []string{"10018"}, Hours: [7]string{time.Monday: "18-22"}})
		off := rdiResponder(t, a, rdiResponderSpec{Name: "Gil Off", ZIPs: []string{"10001"}, Off: true})
		mornings := rdiResponder(t, a, rdiResponderSpec{Name: "Hana Mornings", ZIPs: []string{"10001"}, Hours: [7]string{time.Monday: "8-12", time.Tuesday: "8-12"}})

		got, err := a.Response.Propose(context.Background(), rdiSystem, report, 0)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		byID := map[int64]response.Proposal{}
		for _, p := range got {
			ids = append(ids, p.Responder.ID)
			byID[p.Responder.ID] = p
		}
		want := []int64{county.ID, evening.ID, chelsea.ID, brooklyn.ID} // 10018 is nearer 10001 than 10011
		if len(ids) != 6 || !slices.Equal(ids[:4], want) {
			t.Fatalf("order %v, want %v then the two in Los Angeles", ids, want)
		}
		for i := 1; i < len(got); i++ {
			if got[i].DistanceKm < got[i-1].DistanceKm {
				t.Errorf("not in distance order at %d: %.2f after %.2f", i, got[i].DistanceKm, got[i-1].DistanceKm)
			}
		}
		if !slices.Contains(ids[4:], la.ID) || !slices.Contains(ids[4:], laCounty.ID) {
			t.Errorf("Los Angeles responders missing from the end: %v", ids)
		}
		for _, gone := range []int64{off.ID, mornings.ID} {
			if slices.Contains(ids, gone) {
				t.Errorf("responder %d is off call or outside their hours but proposed", gone)
			}
		}
		if p := byID[county.ID]; p.DistanceKm != 0 || !p.ZoneIsCounty || p.Zone != "36061" {
			t.Errorf("county zone: %+v", p)
		}
		if p := byID[chelsea.ID]; p.DistanceKm <= 0 || p.DistanceKm > 3 || p.Zone != "10011" {
			t.Errorf("Chelsea is %.2f km away (zone %s)", p.DistanceKm, p.Zone)
		}
		if p := byID[brooklyn.ID]; p.DistanceKm < 4 || p.DistanceKm > 10 || p.Zone != "11201" {
			t.Errorf("Brooklyn is %.2f km away (zone %s)", p.DistanceKm, p.Zone)
		}
		if p := byID[la.ID]; p.DistanceKm < 3800 || p.DistanceMiles() < 2400 {
			t.Errorf("Los Angeles is %.0f km away", p.DistanceKm)
		}
		if p := byID[laCounty.ID]; !p.ZoneIsCounty || p.DistanceKm < 3800 {
			t.Errorf("Los Angeles County: %+v", p)
		}
		if !byID[county.ID].SpeaksReportLanguage == slices.Contains(county.Languages, "es") {
			t.Errorf("language match wrong: %+v", byID[county.ID])
		}

		// An hour later the evening responder's hours are over; the next morning the
		// morning responder's have begun.
		rdiClock(a, time.Date(2026, 3, 2, 22, 0, 0, 0, ny))
		got, _ = a.Response.Propose(context.Background(), rdiSystem, report, 0)
		if rdiProposed(got, evening.ID) {
			t.Error("proposed after their hours")
		}
		rdiClock(a, time.Date(2026, 3, 3, 9, 30, 0, 0, ny))
		got, _ = a.Response.Propose(context.Background(), rdiSystem, report, 0)
		if !rdiProposed(got, mornings.ID) || got[0].Responder.ID != mornings.ID && got[0].Responder.ID != county.ID {
			t.Errorf("morning responder in 10001 not proposed first: %v", got[0].Responder.Name)
		}
	})
}

func rdiProposed(ps []response.Proposal, id int64) bool {
	for _, p := range ps {
		if p.Responder.ID == id {
			return true
		}
	}
	return false
}

// A report without a ZIP code, or with one the gazetteer does not know, still lists the
// available responders, without distances, and a report can be dispatched only while
// open.
func TestRdiProposeWithoutZIP(t *testing.T) {
	rdiEachApp(t, func(t *testing.T, a *app.App) {
		r := rdiResponder(t, a, rdiResponderSpec{Name: "Ines", ZIPs: []string{"10001"}})
		report := rdiReport(t, a, "", "somewhere near the park")
		got, err := a.Response.Propose(context.Background(), rdiSystem, report, 0)
		if err != nil || len(got) != 1 || got[0].Located || got[0].Responder.ID != r.ID {
			t.Fatalf("proposals %+v %v", got, err)
		}
	})
}
