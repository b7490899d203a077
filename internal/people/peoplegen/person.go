package peoplegen

import (
	"fmt"
	"strings"
	"time"

	"solidarity/internal/people"
)

// fake is one synthetic person before it is written.
type fake struct {
	given, family, nameKey, sound string
	words                         []string
	email, phone, street, zip     string
	r                             region
	lang                          string
	created, active               time.Time
	tags                          []int
	consent                       []fakeConsent
	tier                          int64
	mstatus                       string
	expires                       any
	org                           int64
	role                          string
}

type fakeConsent struct {
	channel, status, method string
	at                      time.Time
}

// person makes the seq-th synthetic person. Half a percent are near-duplicates of a recent
// person (same or similar name in the same ZIP, another e-mail), so that the duplicate
// review has work to show.
func (g *gen) person(seq int) fake {
	rng := g.rng
	var p fake
	if len(g.prev) > 0 && rng.IntN(200) == 0 {
		o := g.prev[rng.IntN(len(g.prev))]
		p.given, p.family, p.r, p.zip = o.given, o.family, o.r, o.zip
		if rng.IntN(2) == 0 {
			p.given = stripAccents(p.given)
		}
	} else {
		spanish := rng.IntN(100) < 60
		if spanish {
			p.given = givenES[rng.IntN(len(givenES))]
			p.family = familyES[rng.IntN(len(familyES))]
			if rng.IntN(4) == 0 {
				p.family += " " + familyES[rng.IntN(len(familyES))]
			}
		} else {
			p.given = givenEN[rng.IntN(len(givenEN))]
			p.family = familyEN[rng.IntN(len(familyEN))]
		}
		p.r = regions[rng.IntN(len(regions))]
		p.zip = fmt.Sprintf("%s%02d", p.r.zip3, rng.IntN(60))
		if rng.IntN(50) == 0 {
			p.family = "" // some people give one name only
		}
	}
	if len(g.prev) < 500 {
		g.prev = append(g.prev, prior{p.given, p.family, p.r, p.zip})
	} else {
		g.prev[rng.IntN(500)] = prior{p.given, p.family, p.r, p.zip}
	}
	p.nameKey, p.sound, p.words = people.SearchKeys(p.given, p.family)
	local := strings.ReplaceAll(people.Fold(p.given+" "+p.family), " ", ".")
	p.email = fmt.Sprintf("%s.%d@%s", local, seq, domains[rng.IntN(len(domains))])
	if rng.IntN(100) < 70 {
		p.phone = fmt.Sprintf("+1%s%07d", p.r.area, 2000000+seq%8000000)
	}
	p.street = fmt.Sprintf("%d %s", 1+rng.IntN(9899), streets[rng.IntN(len(streets))])
	p.lang = "en"
	if rng.IntN(100) < 55 {
		p.lang = "es"
	}
	p.created = g.now.Add(-time.Duration(rng.Int64N(int64(5 * 365 * 24 * time.Hour)))).Truncate(time.Microsecond)
	p.active = p.created.Add(time.Duration(rng.Int64N(int64(g.now.Sub(p.created)) + 1))).Truncate(time.Microsecond)
	for i, t := range tagNames {
		if rng.IntN(1000) < t.perMille {
			p.tags = append(p.tags, i)
		}
	}
	switch x := rng.IntN(100); {
	case x < 65:
		p.consent = append(p.consent, fakeConsent{"email", "granted", "import", p.created})
	case x < 75:
		p.consent = append(p.consent, fakeConsent{"email", "revoked", "link", p.active})
	case x < 80:
		p.consent = append(p.consent, fakeConsent{"email", "pending", "form", p.created})
	}
	if p.phone != "" {
		switch x := rng.IntN(100); {
		case x < 35:
			p.consent = append(p.consent, fakeConsent{"sms", "granted", "keyword", p.created})
		case x < 42:
			p.consent = append(p.consent, fakeConsent{"sms", "revoked", "keyword", p.active})
		}
	}
	if rng.IntN(100) < 15 {
		p.tier = g.tiers[rng.IntN(len(g.tiers))]
		exp := p.created.AddDate(1, 0, 0)
		switch x := rng.IntN(100); {
		case x < 70:
			p.mstatus = "active"
			exp = g.now.AddDate(0, 0, 1+rng.IntN(365))
		case x < 75:
			p.mstatus = "grace"
			exp = g.now.AddDate(0, 0, -rng.IntN(30))
		case x < 95:
			p.mstatus = "lapsed"
		default:
			p.mstatus = "cancelled"
		}
		p.expires = exp.Truncate(time.Microsecond)
	}
	if rng.IntN(100) < 3 {
		p.org = g.orgs[rng.IntN(len(g.orgs))]
		p.role = roles[rng.IntN(len(roles))]
	}
	return p
}

func stripAccents(s string) string {
	r := []rune(s)
	for i, c := range r {
		switch c {
		case 'á':
			r[i] = 'a'
		case 'é':
			r[i] = 'e'
		case 'í':
			r[i] = 'i'
		case 'ó':
			r[i] = 'o'
		case 'ú':
			r[i] = 'u'
		}
	}
	return string(r)
}
