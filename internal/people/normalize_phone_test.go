package people

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// byParser is NormalizePhone by the general parser alone, as it was before plainNANP.
func byParser(raw, region string) (string, bool) {
	n, err := phonenumbers.Parse(raw, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// The short way for North American numbers answers exactly as the parser does, for the ways
// numbers are written and for numbers that are not valid.
func TestPlainNANPAgreesWithTheParser(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	shapes := []string{"(%s) %s-%s", "%s-%s-%s", "%s.%s.%s", "%s %s %s", "+1 %s %s %s", "1-%s-%s-%s", "+1%s%s%s", "1 (%s) %s-%s", "%s%s%s",
		"+1 (%s) %s.%s", "+%s%s%s", "11%s%s%s", "(%s)%s-%s"}
	fixed := []string{"(512) 555-0101", "512-555-0101", "+1 416 555 0199", "+1 809 555 1234", "0512 555 0101", "1512555010", "+1512555010",
		"211-555-0101", "911-555-1234", "555-555-5555", "(800) 555-0101", "+1 (900) 555-0101", "1 800 FLOWERS", "512-555-0101 x12",
		"+44 20 7946 0958", "+33 1 23 45 67 89", "+52 55 1234 5678", "123", "(512)", "", "12345678901", "+15125550101"}
	var cases []string
	cases = append(cases, fixed...)
	for range 20000 {
		area := fmt.Sprintf("%03d", rng.IntN(1000))
		exch := fmt.Sprintf("%03d", rng.IntN(1000))
		line := fmt.Sprintf("%04d", rng.IntN(10000))
		cases = append(cases, fmt.Sprintf(shapes[rng.IntN(len(shapes))], area, exch, line))
	}
	for _, region := range []string{"US", "CA", "MX"} {
		for _, c := range cases {
			got, ok := NormalizePhone(c, region)
			want, wok := byParser(c, region)
			if got != want || ok != wok {
				t.Fatalf("NormalizePhone(%q, %s) = %q %v, the parser says %q %v", c, region, got, ok, want, wok)
			}
		}
	}
}

func BenchmarkNormalizePhone(b *testing.B) {
	for b.Loop() {
		NormalizePhone("(512) 555-0101", "US")
	}
}

func BenchmarkNormalizePhoneByParser(b *testing.B) {
	for b.Loop() {
		byParser("(512) 555-0101", "US")
	}
}
