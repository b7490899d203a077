package giving

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// ChartText is what a chart says, already translated: its title, a description that gives
// the gist to people who cannot see it, and the words of each bar's tooltip.
type ChartText struct {
	ID    string // prefix of the ids of the title and description elements
	Title string
	Desc  string
	// Bar returns the tooltip of one bar ("2026-03: $1,250 net from 14 gifts").
	Bar func(b Bucket) string
}

// Geometry of the chart, in the units of its viewBox; it scales to its container.
const (
	chartW, chartH     = 720.0, 300.0
	chartLeft          = 72.0
	chartRight         = 12.0
	chartTop           = 16.0
	chartBottom        = 40.0
	chartGridLines     = 4
	chartMaxAxisLabels = 12
)

// Chart draws the net totals of a series as a bar chart in SVG, for the page to embed
// inline: role="img", labelled by its <title> and <desc>, readable without JavaScript or
// styles (the page puts the same figures in a table under it). Every text is escaped; the
// result is well-formed XML.
func Chart(series []Bucket, text ChartText) string {
	var b strings.Builder
	id := html.EscapeString(text.ID)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="givs-chart" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-title %s-desc" preserveAspectRatio="xMidYMid meet">`,
		chartW, chartH, id, id)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, html.EscapeString(text.Title), id, html.EscapeString(text.Desc))
	currency := ""
	var top int64
	for _, s := range series {
		top = max(top, s.NetCents())
		currency = s.Currency
	}
	scale := niceCeil(top)
	plotW, plotH := chartW-chartLeft-chartRight, chartH-chartTop-chartBottom
	baseY := chartTop + plotH

	// Grid lines and the amounts they mark.
	b.WriteString(`<g class="givs-chart-grid" fill="none" stroke="#c8c8c8" stroke-width="1">`)
	for i := 0; i <= chartGridLines; i++ {
		y := baseY - plotH*float64(i)/chartGridLines
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, chartLeft, y, chartW-chartRight, y)
	}
	b.WriteString(`</g><g class="givs-chart-axis" fill="#333" font-size="12" font-family="system-ui, sans-serif" text-anchor="end">`)
	for i := 0; i <= chartGridLines; i++ {
		y := baseY - plotH*float64(i)/chartGridLines
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`, chartLeft-6, y+4, html.EscapeString(FormatAmount(scale*int64(i)/chartGridLines, currency)))
	}
	b.WriteString(`</g>`)

	// The bars, each with its tooltip.
	n := len(series)
	if n > 0 {
		slot := plotW / float64(n)
		barW := math.Max(slot*0.72, 1)
		b.WriteString(`<g class="givs-chart-bars" fill="#0b5cad">`)
		for i, s := range series {
			h := 0.0
			if scale > 0 {
				h = plotH * float64(s.NetCents()) / float64(scale)
			}
			x := chartLeft + slot*float64(i) + (slot-barW)/2
			tip := s.Key
			if text.Bar != nil {
				tip = text.Bar(s)
			}
			fmt.Fprintf(&b, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f"><title>%s</title></rect>`,
				x, baseY-h, barW, h, html.EscapeString(tip))
		}
		b.WriteString(`</g>`)

		// Labels under the bars: every one when they fit, else evenly spaced ones.
		every := (n + chartMaxAxisLabels - 1) / chartMaxAxisLabels
		b.WriteString(`<g class="givs-chart-labels" fill="#333" font-size="12" font-family="system-ui, sans-serif" text-anchor="middle">`)
		for i := 0; i < n; i += every {
			x := chartLeft + slot*float64(i) + slot/2
			fmt.Fprintf(&b, `<text x="%.2f" y="%.1f">%s</text>`, x, baseY+18, html.EscapeString(axisLabel(series[i].Key)))
		}
		b.WriteString(`</g>`)
	}
	fmt.Fprintf(&b, `<line class="givs-chart-base" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333" stroke-width="1"/>`,
		chartLeft, baseY, chartW-chartRight, baseY)
	b.WriteString(`</svg>`)
	return b.String()
}

// axisLabel shortens a bucket key under a bar: a day shows as MM-DD.
func axisLabel(key string) string {
	if len(key) == len("2006-01-02") {
		return key[5:]
	}
	return key
}

// niceCeil rounds cents up to a round top for the axis (1, 2, 2.5 or 5 times a power of
// ten, in whole currency units), at least one unit.
func niceCeil(cents int64) int64 {
	if cents <= 100 {
		return 100
	}
	units := float64(cents) / 100
	pow := math.Pow(10, math.Floor(math.Log10(units)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if top := m * pow; top >= units {
			return int64(math.Round(top * 100))
		}
	}
	return cents
}
