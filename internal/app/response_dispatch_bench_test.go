package app_test

import (
	"context"
	"testing"

	"solidarity/internal/geo"
	"solidarity/internal/response"
	"solidarity/internal/testkit"
)

// BenchmarkRdiPropose measures what the board does on every view of a report's page: rank
// 1,000 on-call responders (each with two ZIP codes, a third of them also a county, a third
// with weekly hours) by distance to the report. The target is under 20 ms.
//
//	go test ./internal/app/ -run '^$' -bench BenchmarkRdiPropose -benchtime 200x
func BenchmarkRdiPropose(b *testing.B) {
	for _, dialect := range testkit.Dialects(b) {
		b.Run(string(dialect), func(b *testing.B) {
			a := rdiOpen(b, dialect, rdiSMSToken)
			var zips []string
			for _, c := range []string{"36061", "36047", "36081", "36005", "36085", "34017", "34013", "36119", "06037", "17031"} {
				zips = append(zips, geo.ZIPsIn(c)...)
			}
			counties := []string{"36061", "36047", "36081", "34017", "06037", "17031", "48201", "04013"}
			everyDay := [7]string{"0-24", "0-24", "0-24", "0-24", "0-24", "0-24", "0-24"}
			for i := 0; i < 1000; i++ {
				s := rdiResponderSpec{Name: "Bench Responder", ZIPs: []string{zips[(i*7)%len(zips)], zips[(i*13+5)%len(zips)]},
					Languages: []string{"en", "es"}}
				if i%3 == 0 {
					s.Counties = []string{counties[i%len(counties)]}
				}
				if i%3 == 1 {
					s.Hours = everyDay
				}
				rdiResponder(b, a, s)
			}
			report := rdiReport(b, a, "10001", "1 Bench Street")
			ctx := context.Background()
			got, err := a.Response.Propose(ctx, rdiSystem, report, 0)
			if err != nil || len(got) != response.DefaultProposals {
				b.Fatalf("%d proposals, %v", len(got), err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := a.Response.Propose(ctx, rdiSystem, report, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
