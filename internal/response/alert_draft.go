package response

import (
	"context"
	"slices"

	"solidarity/internal/auth"
	"solidarity/internal/geo"
)

// NearbyZIP is a ZIP code near a report's, suggested for the alert's area.
type NearbyZIP struct {
	ZIP  string
	City string
	// Km is the distance between the two ZIP codes' centres.
	Km float64
}

// AlertDraft is what the compose page starts from: the report (clear fields only), the
// alert an all clear follows, the default area and nearby ZIP codes, and the templates of
// the kind being written.
type AlertDraft struct {
	Report Report
	// Confirmed is false when the report cannot be alerted (yet).
	Confirmed bool
	Kind      AlertKind
	Parent    *Alert
	ZIPs      []string
	Nearby    []NearbyZIP
	Templates []AlertTemplate
}

// Nearby ZIP codes suggested: those of the report's county whose centres lie within
// alertNearbyKm of the report's ZIP code, the nearest first.
const (
	alertNearbyKm  = 8.0
	alertNearbyMax = MaxZIPs - 1
)

// AlertDraft prepares the compose page for an alert about report reportID, or, with
// parentID, for the all clear that follows that alert. It needs response.alert and
// decrypts nothing.
func (s *Service) AlertDraft(ctx context.Context, actor auth.Actor, reportID, parentID int64) (AlertDraft, error) {
	if err := actor.Require(auth.PermResponseAlert); err != nil {
		return AlertDraft{}, err
	}
	d := AlertDraft{Kind: AlertKindAlert}
	if parentID > 0 {
		p, err := loadAlert(ctx, s.db, parentID)
		if err != nil {
			return AlertDraft{}, coded(err)
		}
		d.Parent, d.Kind, d.ZIPs, reportID = &p, AlertKindAllClear, p.ZIPs, p.ReportID
	}
	r, err := loadReport(ctx, s.db, reportID)
	if err != nil {
		return AlertDraft{}, coded(err)
	}
	d.Report = r
	d.Confirmed = r.State == StateConfirmed || d.Parent != nil
	if d.Parent == nil && r.ZIP != "" {
		d.ZIPs = []string{r.ZIP}
		d.Nearby = nearbyZIPs(r.ZIP)
	}
	all, err := s.AlertTemplates(ctx, actor)
	if err != nil {
		return AlertDraft{}, err
	}
	for _, t := range all {
		if t.Kind == d.Kind {
			d.Templates = append(d.Templates, t)
		}
	}
	return d, nil
}

// nearbyZIPs lists the ZIP codes near zip, from the offline gazetteer.
func nearbyZIPs(zip string) []NearbyZIP {
	p, ok := geo.Lookup(zip)
	if !ok || !p.Located || p.County == "" {
		return nil
	}
	var out []NearbyZIP
	for _, z := range geo.ZIPsIn(p.County) {
		q, ok := geo.Lookup(z)
		if !ok || !q.Located || z == p.ZIP {
			continue
		}
		if km := geo.Distance(p.Point, q.Point); km <= alertNearbyKm {
			out = append(out, NearbyZIP{ZIP: z, City: q.City, Km: km})
		}
	}
	slices.SortFunc(out, func(a, b NearbyZIP) int {
		switch {
		case a.Km < b.Km:
			return -1
		case a.Km > b.Km:
			return 1
		}
		return 0
	})
	return out[:min(len(out), alertNearbyMax)]
}
