// Package geo is the offline gazetteer: US ZIP code centroids (with city and state), the
// county each ZIP code lies in, and great-circle distances. It needs no network and no
// database: the tables are embedded in the binary and read once, on first use. It touches
// nothing outside itself.
//
// Sources (licences beside the copies in data/): us-zip-centroids.csv is the `zipcodes`
// npm package's data (BSD-2-Clause); counties.csv and zip-counties.txt are computed by
// internal/gen from the us-atlas v3.0.1 county shapes (ISC), by point-in-polygon of each
// ZIP centroid.
package geo

//go:generate go run ./internal/gen -counties internal/gen/counties-10m.json -zips data/us-zip-centroids.csv -out data

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/us-zip-centroids.csv data/counties.csv data/zip-counties.txt
var files embed.FS

// Point is a position in degrees (WGS84).
type Point struct {
	Lat, Lon float64
}

// Place is what the gazetteer knows of one ZIP code.
type Place struct {
	ZIP   string
	City  string
	State string // postal abbreviation: "NY", "PR", "AE" for military mail
	// County is the FIPS code of the county the ZIP's centroid lies in; "" when unknown
	// (military and freely associated states' ZIP codes).
	County string
	Point  Point
	// Located is false for ZIP codes without a centroid (APO/FPO): they have no distance.
	Located bool
}

// County is one county (or county equivalent: parish, borough, municipio).
type County struct {
	FIPS  string // five digits: state and county
	Name  string // "Los Angeles", without "County"
	State string // postal abbreviation
}

// gazetteer holds the loaded tables. byZIP is indexed by the ZIP's number (0–99999) and
// holds index+1 into places, 0 for none: a lookup is one array read.
type gazetteer struct {
	places   []Place
	byZIP    []int32
	counties map[string]County
	zipsOf   map[string][]int32 // county FIPS → indexes into places
}

var (
	loadOnce sync.Once
	loaded   *gazetteer
	loadErr  error
)

// get returns the gazetteer, loading it on first use. The embedded tables are part of the
// binary, so a failure here is a build defect: it panics rather than let every caller
// handle an error that cannot happen in a tested build.
func get() *gazetteer {
	loadOnce.Do(func() { loaded, loadErr = load() })
	if loadErr != nil {
		panic(loadErr)
	}
	return loaded
}

// Load reads the embedded tables now (they are otherwise read on first use, ~30 ms) and
// reports a defect in them.
func Load() error {
	loadOnce.Do(func() { loaded, loadErr = load() })
	return loadErr
}

func load() (*gazetteer, error) {
	g := &gazetteer{byZIP: make([]int32, 100000), counties: map[string]County{}, zipsOf: map[string][]int32{}}
	if err := g.loadZIPs(); err != nil {
		return nil, err
	}
	if err := g.loadCounties(); err != nil {
		return nil, err
	}
	if err := g.loadZIPCounties(); err != nil {
		return nil, err
	}
	return g, nil
}

func (g *gazetteer) loadZIPs() error {
	b, err := files.ReadFile("data/us-zip-centroids.csv")
	if err != nil {
		return err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("geo: ZIP table header: %w", err)
	}
	g.places = make([]Place, 0, 42600)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("geo: ZIP table: %w", err)
		}
		n, ok := zipNumber(rec[0])
		lat, err1 := strconv.ParseFloat(rec[1], 64)
		lon, err2 := strconv.ParseFloat(rec[2], 64)
		if !ok || err1 != nil || err2 != nil {
			return fmt.Errorf("geo: ZIP table: bad row %q", strings.Join(rec, ","))
		}
		p := Place{ZIP: rec[0], City: rec[3], State: rec[4], Point: Point{Lat: lat, Lon: lon}, Located: lat != 0 || lon != 0}
		g.places = append(g.places, p)
		g.byZIP[n] = int32(len(g.places))
	}
}

func (g *gazetteer) loadCounties() error {
	b, err := files.ReadFile("data/counties.csv")
	if err != nil {
		return err
	}
	r := csv.NewReader(bytes.NewReader(b))
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("geo: county table header: %w", err)
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("geo: county table: %w", err)
		}
		g.counties[rec[0]] = County{FIPS: rec[0], Name: rec[1], State: rec[2]}
	}
}

func (g *gazetteer) loadZIPCounties() error {
	b, err := files.ReadFile("data/zip-counties.txt")
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Fields(line)
		fips := fields[0]
		if _, ok := g.counties[fips]; !ok {
			return fmt.Errorf("geo: ZIP–county table names unknown county %s", fips)
		}
		idx := make([]int32, 0, len(fields)-1)
		for _, z := range fields[1:] {
			n, ok := zipNumber(z)
			if !ok || g.byZIP[n] == 0 {
				return fmt.Errorf("geo: ZIP–county table names unknown ZIP %s", z)
			}
			i := g.byZIP[n] - 1
			g.places[i].County = fips
			idx = append(idx, i)
		}
		g.zipsOf[fips] = idx
	}
	return sc.Err()
}

// zipNumber reads a five-digit ZIP code.
func zipNumber(s string) (int, bool) {
	if len(s) != 5 {
		return 0, false
	}
	n := 0
	for i := 0; i < 5; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// NormalizeZIP returns the five-digit ZIP code of s ("10001", "10001-1234", " 10001 "),
// and whether s is one.
func NormalizeZIP(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 10 && s[5] == '-' {
		if !allDigits(s[6:]) {
			return s, false
		}
		s = s[:5]
	}
	if _, ok := zipNumber(s); !ok {
		return s, false
	}
	return s, true
}

// Lookup returns what the gazetteer knows of a ZIP code (five digits, or ZIP+4).
func Lookup(zip string) (Place, bool) {
	z, ok := NormalizeZIP(zip)
	if !ok {
		return Place{}, false
	}
	n, _ := zipNumber(z)
	g := get()
	i := g.byZIP[n]
	if i == 0 {
		return Place{}, false
	}
	return g.places[i-1], true
}

// CountyOf returns a county by its five-digit FIPS code.
func CountyOf(fips string) (County, bool) {
	c, ok := get().counties[strings.TrimSpace(fips)]
	return c, ok
}

// ZIPsIn returns the ZIP codes of a county, in order.
func ZIPsIn(fips string) []string {
	g := get()
	idx := g.zipsOf[fips]
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = g.places[j].ZIP
	}
	return out
}

// NearestInCounty returns the distance in kilometres from p to the nearest ZIP centroid of
// the county, 0 when p's own ZIP lies in it, and false when the county has no located ZIP.
// It is what "a county zone covers every ZIP code in it" means for distances.
func NearestInCounty(p Place, fips string) (float64, bool) {
	if p.County != "" && p.County == fips {
		return 0, true
	}
	if !p.Located {
		return 0, false
	}
	g := get()
	best, found := math.Inf(1), false
	for _, j := range g.zipsOf[fips] {
		q := g.places[j]
		if !q.Located {
			continue
		}
		if d := Distance(p.Point, q.Point); d < best {
			best, found = d, true
		}
	}
	return best, found
}

// earthRadiusKm is the mean radius of the Earth (IUGG).
const earthRadiusKm = 6371.0088

// KmPerMile is the length of an international mile in kilometres.
const KmPerMile = 1.609344

// Distance is the great-circle distance between a and b in kilometres (haversine).
func Distance(a, b Point) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	s1, s2 := math.Sin(dLat/2), math.Sin(dLon/2)
	h := s1*s1 + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*s2*s2
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Miles converts kilometres to miles.
func Miles(km float64) float64 { return km / KmPerMile }
