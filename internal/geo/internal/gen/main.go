// Command gen precomputes the gazetteer's county tables from the US county shapes
// (counties-10m.json, us-atlas v3.0.1, ISC licence beside it) and the ZIP centroids
// (../../data/us-zip-centroids.csv): the county of each ZIP code is the county whose
// polygon holds the ZIP's centroid, or, for a centroid that falls just outside every
// polygon of its state (a coast, a lake shore at 1:10m), the county of that state whose
// border is nearest within maxSnapKm. ZIP codes with no centroid (APO/FPO) or no county
// near enough get none.
//
// It writes ../../data/counties.csv (fips,name,state) and ../../data/zip-counties.txt (one
// line per county: its FIPS code then its ZIP codes), which the geo package embeds, so that
// start-up reads two small text files instead of testing 42,000 points against 3,200
// polygons. Run it with `go generate ./internal/geo`.
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

// maxSnapKm is how far outside its state's counties a ZIP centroid may lie and still be
// given the nearest one.
const maxSnapKm = 25

// stateCodes maps state FIPS codes to postal abbreviations.
var stateCodes = map[string]string{
	"01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT", "10": "DE",
	"11": "DC", "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL", "18": "IN", "19": "IA",
	"20": "KS", "21": "KY", "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN",
	"28": "MS", "29": "MO", "30": "MT", "31": "NE", "32": "NV", "33": "NH", "34": "NJ", "35": "NM",
	"36": "NY", "37": "NC", "38": "ND", "39": "OH", "40": "OK", "41": "OR", "42": "PA", "44": "RI",
	"45": "SC", "46": "SD", "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA",
	"54": "WV", "55": "WI", "56": "WY", "60": "AS", "66": "GU", "69": "MP", "72": "PR", "78": "VI",
}

type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Objects struct {
		Counties struct {
			Geometries []geometry `json:"geometries"`
		} `json:"counties"`
	} `json:"objects"`
	Arcs [][][2]float64 `json:"arcs"`
}

type geometry struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Arcs       json.RawMessage `json:"arcs"`
	Properties struct {
		Name string `json:"name"`
	} `json:"properties"`
}

type point struct{ lon, lat float64 }

type ring []point

// county is one county's polygons (each an outer ring and its holes) and bounding box.
type county struct {
	fips, name, state      string
	polygons               [][]ring
	minX, minY, maxX, maxY float64
}

func main() {
	counties := flag.String("counties", "counties-10m.json", "us-atlas counties TopoJSON")
	zips := flag.String("zips", "../../data/us-zip-centroids.csv", "ZIP centroids CSV")
	out := flag.String("out", "../../data", "folder to write counties.csv and zip-counties.txt to")
	flag.Parse()
	if err := run(*counties, *zips, *out); err != nil {
		log.Fatal(err)
	}
}

func run(countiesPath, zipsPath, outDir string) error {
	cs, err := loadCounties(countiesPath)
	if err != nil {
		return err
	}
	zs, err := loadZIPs(zipsPath)
	if err != nil {
		return err
	}
	byCounty := map[string][]string{}
	var inside, snapped, none int
	for _, z := range zs {
		c, how := locate(cs, z)
		switch how {
		case "inside":
			inside++
		case "snapped":
			snapped++
		default:
			none++
			continue
		}
		byCounty[c.fips] = append(byCounty[c.fips], z.zip)
	}
	log.Printf("%d ZIP codes: %d inside a county, %d snapped to the nearest, %d without", len(zs), inside, snapped, none)
	return write(outDir, cs, byCounty)
}

type zipPoint struct {
	zip, state string
	p          point
}

func loadZIPs(path string) ([]zipPoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	if _, err := r.Read(); err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	var out []zipPoint
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		lat, err1 := strconv.ParseFloat(rec[1], 64)
		lon, err2 := strconv.ParseFloat(rec[2], 64)
		if err1 != nil || err2 != nil || (lat == 0 && lon == 0) {
			continue
		}
		out = append(out, zipPoint{zip: rec[0], state: rec[4], p: point{lon: lon, lat: lat}})
	}
}

// loadCounties decodes the TopoJSON: each arc is delta-encoded in quantized units, a
// negative index ~i is arc i reversed, and consecutive arcs of a ring share an end point.
func loadCounties(path string) ([]*county, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t topology
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	arcs := make([][]point, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		pts := make([]point, len(a))
		for j, d := range a {
			x += d[0]
			y += d[1]
			pts[j] = point{lon: x*t.Transform.Scale[0] + t.Transform.Translate[0], lat: y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
		arcs[i] = pts
	}
	ringOf := func(idx []int) ring {
		var r ring
		for k, i := range idx {
			var pts []point
			if i >= 0 {
				pts = arcs[i]
			} else {
				src := arcs[^i]
				pts = make([]point, len(src))
				for j := range src {
					pts[j] = src[len(src)-1-j]
				}
			}
			if k > 0 && len(pts) > 0 {
				pts = pts[1:]
			}
			r = append(r, pts...)
		}
		return r
	}
	var out []*county
	for _, g := range t.Objects.Counties.Geometries {
		c := &county{fips: g.ID, name: g.Properties.Name, state: stateCodes[g.ID[:2]],
			minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return nil, fmt.Errorf("county %s: %w", g.ID, err)
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, fmt.Errorf("county %s: %w", g.ID, err)
			}
		default:
			continue
		}
		for _, p := range polys {
			var rings []ring
			for _, idx := range p {
				r := ringOf(idx)
				for _, q := range r {
					c.minX, c.maxX = min(c.minX, q.lon), max(c.maxX, q.lon)
					c.minY, c.maxY = min(c.minY, q.lat), max(c.maxY, q.lat)
				}
				rings = append(rings, r)
			}
			c.polygons = append(c.polygons, rings)
		}
		if c.state == "" {
			return nil, fmt.Errorf("county %s: unknown state FIPS", g.ID)
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].fips < out[j].fips })
	return out, nil
}

// contains applies the even-odd rule over every ring of every polygon (holes included).
func (c *county) contains(p point) bool {
	if p.lon < c.minX || p.lon > c.maxX || p.lat < c.minY || p.lat > c.maxY {
		return false
	}
	for _, poly := range c.polygons {
		in := false
		for _, r := range poly {
			for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
				a, b := r[i], r[j]
				if (a.lat > p.lat) != (b.lat > p.lat) &&
					p.lon < (b.lon-a.lon)*(p.lat-a.lat)/(b.lat-a.lat)+a.lon {
					in = !in
				}
			}
		}
		if in {
			return true
		}
	}
	return false
}

// borderKm is the distance from p to the county's nearest border segment, on a local flat
// projection (good enough within a few tens of kilometres).
func (c *county) borderKm(p point) float64 {
	kx := 111.32 * math.Cos(p.lat*math.Pi/180)
	const ky = 110.57
	best := math.Inf(1)
	for _, poly := range c.polygons {
		for _, r := range poly {
			for i := 1; i < len(r); i++ {
				ax, ay := (r[i-1].lon-p.lon)*kx, (r[i-1].lat-p.lat)*ky
				bx, by := (r[i].lon-p.lon)*kx, (r[i].lat-p.lat)*ky
				best = min(best, segmentDist(ax, ay, bx, by))
			}
		}
	}
	return best
}

// segmentDist is the distance from the origin to the segment a–b.
func segmentDist(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	l := dx*dx + dy*dy
	t := 0.0
	if l > 0 {
		t = max(0, min(1, -(ax*dx+ay*dy)/l))
	}
	x, y := ax+t*dx, ay+t*dy
	return math.Hypot(x, y)
}

func locate(cs []*county, z zipPoint) (*county, string) {
	for _, c := range cs {
		if c.contains(z.p) {
			return c, "inside"
		}
	}
	var best *county
	bestKm := float64(maxSnapKm)
	margin := 0.5 // degrees, well over maxSnapKm
	for _, c := range cs {
		if c.state != z.state || z.p.lon < c.minX-margin || z.p.lon > c.maxX+margin || z.p.lat < c.minY-margin || z.p.lat > c.maxY+margin {
			continue
		}
		if d := c.borderKm(z.p); d < bestKm {
			best, bestKm = c, d
		}
	}
	if best == nil {
		return nil, ""
	}
	return best, "snapped"
}

func write(dir string, cs []*county, byCounty map[string][]string) error {
	var b strings.Builder
	b.WriteString("fips,name,state\n")
	w := csv.NewWriter(&b)
	for _, c := range cs {
		if err := w.Write([]string{c.fips, c.name, c.state}); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := os.WriteFile(dir+"/counties.csv", []byte(b.String()), 0o644); err != nil {
		return err
	}
	f, err := os.Create(dir + "/zip-counties.txt")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	fmt.Fprintln(bw, "# county FIPS, then the ZIP codes whose centroid lies in it (go generate ./internal/geo)")
	for _, c := range cs {
		zips := byCounty[c.fips]
		if len(zips) == 0 {
			continue
		}
		sort.Strings(zips)
		fmt.Fprintf(bw, "%s %s\n", c.fips, strings.Join(zips, " "))
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
