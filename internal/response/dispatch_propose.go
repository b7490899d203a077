package response

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/geo"
)

// Area is where a report is, as far as anyone outside dispatch may know: its ZIP code and
// the gazetteer's city and state for it. Never an address.
type Area struct {
	ZIP   string
	City  string
	State string
}

// String writes the area for a message: "10001 (New York, NY)", or the ZIP alone.
func (a Area) String() string {
	switch {
	case a.ZIP == "":
		return ""
	case a.City == "":
		return a.ZIP
	}
	return a.ZIP + " (" + a.City + ", " + a.State + ")"
}

// areaOf looks a report's ZIP code up in the gazetteer.
func areaOf(zip string) (Area, geo.Place, bool) {
	p, ok := geo.Lookup(zip)
	if !ok {
		return Area{ZIP: strings.TrimSpace(zip)}, p, false
	}
	return Area{ZIP: p.ZIP, City: p.City, State: p.State}, p, p.Located
}

// Proposal is one available responder proposed for a report.
type Proposal struct {
	// Responder holds what ranking needs: name, reachability, languages, channel, zones
	// and hours (not the training date or the linked account).
	Responder Responder
	// DistanceKm is from the report's ZIP centroid to the nearest of the responder's zones
	// (0 when the report lies in one of them); meaningful only when Located.
	DistanceKm float64
	Located    bool
	// Zone is the zone that is nearest: a ZIP code, or a county FIPS code when
	// ZoneIsCounty.
	Zone         string
	ZoneIsCounty bool
	// SpeaksReportLanguage is true when the responder speaks the reporter's language.
	SpeaksReportLanguage bool
	// Asked is true when the responder has a live request (pending or assigned) on the
	// report already.
	Asked bool
}

// DistanceMiles is DistanceKm in miles.
func (p Proposal) DistanceMiles() float64 { return geo.Miles(p.DistanceKm) }

// DefaultProposals is how many responders the board proposes for a report.
const DefaultProposals = 25

// Propose returns the responders available now, nearest to the report first, at most limit
// of them (DefaultProposals when limit ≤ 0).
func (s *Service) Propose(ctx context.Context, actor auth.Actor, reportID int64, limit int) ([]Proposal, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return nil, err
	}
	r, err := loadReport(ctx, s.db, reportID)
	if err != nil {
		return nil, coded(err)
	}
	out, _, err := s.propose(ctx, s.db, r, s.db.Now(), limit)
	return out, coded(err)
}

// propose ranks the responders available at now for report r and returns the first limit,
// with how many are on call in all. Responders at the same distance come in name order.
func (s *Service) propose(ctx context.Context, q db.Queryer, r Report, now time.Time, limit int) ([]Proposal, int, error) {
	if limit <= 0 {
		limit = DefaultProposals
	}
	list, err := responderRoster(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	asked := map[int64]bool{}
	if err := responderEach(ctx, q, `SELECT responder_id FROM response_dispatch_requests
		WHERE report_id = ? AND responder_id IS NOT NULL AND state IN ('pending', 'assigned')`, []any{r.ID},
		func(scan func(...any) error) error {
			var id int64
			if err := scan(&id); err != nil {
				return err
			}
			asked[id] = true
			return nil
		}); err != nil {
		return nil, 0, err
	}
	_, place, located := areaOf(r.ZIP)
	// Responders often share a county; its distance is computed once.
	countyKm := map[string]float64{}
	countyDistance := func(fips string) (float64, bool) {
		if d, ok := countyKm[fips]; ok {
			return d, !math.IsInf(d, 1)
		}
		d, ok := geo.NearestInCounty(place, fips)
		if !ok {
			d = math.Inf(1)
		}
		countyKm[fips] = d
		return d, ok
	}
	// Rank small records, and build proposals for the first limit only.
	type ranked struct {
		i            int
		km           float64
		located      bool
		zone         string
		zoneIsCounty bool
	}
	order := make([]ranked, 0, len(list))
	for i, rs := range list {
		if !rs.AvailableAt(now) {
			continue
		}
		k := ranked{i: i}
		if located {
			best := math.Inf(1)
			for _, z := range rs.ZIPs {
				var d float64
				if z != place.ZIP {
					zp, ok := geo.Lookup(z)
					if !ok || !zp.Located {
						continue
					}
					d = geo.Distance(place.Point, zp.Point)
				}
				if d < best {
					best, k.zone, k.zoneIsCounty = d, z, false
				}
			}
			for _, c := range rs.Counties {
				if d, ok := countyDistance(c); ok && d < best {
					best, k.zone, k.zoneIsCounty = d, c, true
				}
			}
			if !math.IsInf(best, 1) {
				k.km, k.located = best, true
			}
		}
		order = append(order, k)
	}
	slices.SortFunc(order, func(a, b ranked) int {
		switch {
		case a.located != b.located:
			if a.located {
				return -1
			}
			return 1
		case a.km < b.km:
			return -1
		case a.km > b.km:
			return 1
		}
		if c := strings.Compare(list[a.i].Name, list[b.i].Name); c != 0 {
			return c
		}
		return cmp.Compare(list[a.i].ID, list[b.i].ID)
	})
	if len(order) > limit {
		order = order[:limit]
	}
	out := make([]Proposal, len(order))
	for j, k := range order {
		rs := list[k.i]
		out[j] = Proposal{Responder: rs, DistanceKm: k.km, Located: k.located, Zone: k.zone, ZoneIsCounty: k.zoneIsCounty,
			Asked: asked[rs.ID], SpeaksReportLanguage: slices.Contains(rs.Languages, r.Language)}
	}
	return out, len(list), nil
}
