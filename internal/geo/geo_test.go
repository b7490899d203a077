package geo

import (
	"math"
	"slices"
	"testing"
)

func TestLookupKnownZIPs(t *testing.T) {
	cases := []struct {
		zip, city, state, county, countyName string
	}{
		{"10001", "New York", "NY", "36061", "New York"},
		{"90012", "Los Angeles", "CA", "06037", "Los Angeles"},
		{"60601", "Chicago", "IL", "17031", "Cook"},
		{"78701", "Austin", "TX", "48453", "Travis"},
		{"33130", "Miami", "FL", "12086", "Miami-Dade"},
		{"00901", "San Juan", "PR", "72127", "San Juan"},
		{"10001-2345", "New York", "NY", "36061", "New York"},
	}
	for _, c := range cases {
		p, ok := Lookup(c.zip)
		if !ok {
			t.Errorf("%s: not found", c.zip)
			continue
		}
		if p.City != c.city || p.State != c.state || p.County != c.county || !p.Located {
			t.Errorf("%s: got %+v, want %s, %s, county %s", c.zip, p, c.city, c.state, c.county)
		}
		co, ok := CountyOf(p.County)
		if !ok || co.Name != c.countyName || co.State != c.state {
			t.Errorf("%s: county %+v, want %s, %s", c.zip, co, c.countyName, c.state)
		}
	}
}

func TestLookupRefusals(t *testing.T) {
	for _, z := range []string{"", "1000", "100011", "abcde", "10001-", "10001-12x4", "99999"} {
		if p, ok := Lookup(z); ok {
			t.Errorf("%q: found %+v", z, p)
		}
	}
	// Military mail has a ZIP code but no place on the map.
	p, ok := Lookup("09002")
	if !ok || p.Located || p.County != "" {
		t.Errorf("09002: %+v %v, want known, not located, no county", p, ok)
	}
}

func TestDistance(t *testing.T) {
	ny, _ := Lookup("10001")
	la, _ := Lookup("90012")
	d := Distance(ny.Point, la.Point)
	// New York to Los Angeles is about 3,940 km (2,450 miles) as the crow flies.
	if d < 3900 || d > 3990 {
		t.Errorf("NY–LA = %.0f km, want about 3,940", d)
	}
	if m := Miles(d); m < 2420 || m > 2480 {
		t.Errorf("NY–LA = %.0f miles, want about 2,450", m)
	}
	if d := Distance(ny.Point, ny.Point); d != 0 {
		t.Errorf("a point to itself = %v", d)
	}
	if math.Abs(Distance(ny.Point, la.Point)-Distance(la.Point, ny.Point)) > 1e-9 {
		t.Error("distance is not symmetric")
	}
	// Two Manhattan ZIP codes are a few kilometres apart.
	up, _ := Lookup("10027")
	if d := Distance(ny.Point, up.Point); d < 3 || d > 12 {
		t.Errorf("10001–10027 = %.1f km", d)
	}
}

func TestCountyZIPsAndNearest(t *testing.T) {
	zips := ZIPsIn("06037")
	if len(zips) < 300 || !slices.Contains(zips, "90012") || !slices.IsSorted(zips) {
		t.Errorf("Los Angeles County has %d ZIP codes (90012 in it: %v)", len(zips), slices.Contains(zips, "90012"))
	}
	la, _ := Lookup("90012")
	if d, ok := NearestInCounty(la, "06037"); !ok || d != 0 {
		t.Errorf("90012 to its own county = %v %v, want 0", d, ok)
	}
	// Orange County borders Los Angeles County: its nearest ZIP is tens of km away, not
	// the distance to its centre.
	d, ok := NearestInCounty(la, "06059")
	if !ok || d <= 0 || d > 45 {
		t.Errorf("90012 to Orange County = %.1f km %v", d, ok)
	}
	ny, _ := Lookup("10001")
	if d, ok := NearestInCounty(ny, "06037"); !ok || d < 3800 {
		t.Errorf("10001 to Los Angeles County = %.0f km %v", d, ok)
	}
	if _, ok := NearestInCounty(ny, "99999"); ok {
		t.Error("an unknown county has a distance")
	}
}

func TestNormalizeZIP(t *testing.T) {
	for in, want := range map[string]string{"10001": "10001", " 10001 ": "10001", "10001-1234": "10001"} {
		if got, ok := NormalizeZIP(in); !ok || got != want {
			t.Errorf("NormalizeZIP(%q) = %q %v", in, got, ok)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	_ = Load()
	for b.Loop() {
		_, _ = Lookup("90012")
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := load(); err != nil {
			b.Fatal(err)
		}
	}
}
