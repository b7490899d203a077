package web

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/people"
)

// crmPageSize is how many people one page of the list shows.
const crmPageSize = 50

// crmPeoplePage is the data of the people list.
type crmPeoplePage struct {
	Q       string // the search box
	Sort    string
	Filter  crmFilterForm
	Options crmFilterOptions
	Errors  crmErrors
	People  []people.Summary
	Count   int
	// Quick is an e-mail or phone search: exact look-ups, without filters or pages.
	Quick bool
	// Next, Previous and First are the addresses of the neighbouring pages, or "".
	Next, Previous, First string
	// SegmentURL and ExportURL open the segment builder and the export with the filter.
	SegmentURL, ExportURL string
}

// peopleList is the people list: a search box (a name's first letters, an e-mail, a
// phone, "tag:" or "org:"), filters, a sort order and keyset pages, with the number of
// people found.
func (s *Server) peopleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ctx, a := r.Context(), actor(r)
	p := crmPeoplePage{Q: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"), Filter: crmReadFilter(q)}
	p.SegmentURL, p.ExportURL = crmWithFilter("/segments", p.Filter), crmWithFilter("/people/export", p.Filter)
	var err error
	if p.Options, err = s.filterOptions(ctx, a); err != nil {
		s.fail(w, r, err)
		return
	}
	if crmQuickSearch(p.Q) {
		p.Quick = true
		p.People, err = s.People.Search(ctx, a, p.Q, people.MaxPageSize)
		p.Count = len(p.People)
	} else {
		err = s.listPage(ctx, a, &p, q.Get("after"), crmTrail(q.Get("trail")))
	}
	if fe, status, ok := crmInvalid(err, crmFilterFields); ok {
		p.People, p.Count, p.Next, p.Previous = nil, 0, "", ""
		p.Errors = fe
		s.render(w, r, status, "crm_people", "crm.people.title", p)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "crm_people", "crm.people.title", p)
}

// listPage fills p with one page of the list after the cursor after; trail holds the
// cursors of the pages before it, for the link back.
func (s *Server) listPage(ctx context.Context, a auth.Actor, p *crmPeoplePage, after string, trail []string) error {
	lq := people.ListQuery{Filter: p.Filter.Filter(), Sort: people.Sort(p.Sort), After: after, Limit: crmPageSize}
	var words []string
	for _, w := range strings.Fields(p.Q) {
		switch {
		case strings.HasPrefix(strings.ToLower(w), "tag:") && len(w) > 4:
			lq.Filter.Tags = append(lq.Filter.Tags, w[4:])
		case strings.HasPrefix(strings.ToLower(w), "org:") && len(w) > 4:
			// A filter holds at most 200 organizations: the first 199 names that match.
			orgs, err := s.People.Organizations(ctx, a, people.OrgQuery{Search: w[4:], Limit: 199})
			if err != nil {
				return err
			}
			lq.Filter.OrganizationIDs = append(lq.Filter.OrganizationIDs, 0) // no organization: nobody
			for _, o := range orgs.Organizations {
				lq.Filter.OrganizationIDs = append(lq.Filter.OrganizationIDs, o.ID)
			}
		default:
			words = append(words, w)
		}
	}
	lq.Search = strings.Join(words, " ")
	page, err := s.People.List(ctx, a, lq)
	if err != nil {
		return err
	}
	if p.Count, err = s.People.ListCount(ctx, a, lq); err != nil {
		return err
	}
	p.People = page.People
	link := func(after string, trail []string) string {
		v := p.Filter.Values()
		for k, val := range map[string]string{"q": p.Q, "sort": p.Sort, "after": after, "trail": strings.Join(trail, ".")} {
			if val != "" {
				v.Set(k, val)
			}
		}
		if len(v) == 0 {
			return "/people"
		}
		return "/people?" + v.Encode()
	}
	if page.Next != "" {
		next := trail
		if after != "" {
			next = slices.Concat(trail, []string{after})
		}
		if len(next) > crmMaxTrail {
			next = next[len(next)-crmMaxTrail:]
		}
		p.Next = link(page.Next, next)
	}
	if after != "" {
		p.First = link("", nil)
		if n := len(trail); n > 0 {
			p.Previous = link(trail[n-1], trail[:n-1])
		} else {
			p.Previous = p.First
		}
	}
	return nil
}

// crmMaxTrail bounds how many earlier pages a list address remembers; from deeper pages,
// going back past them leads to the first page.
const crmMaxTrail = 20

// crmTrail reads the cursors of the earlier pages from a list address.
func crmTrail(v string) []string {
	if v == "" {
		return nil
	}
	trail := strings.Split(v, ".")
	if len(trail) > crmMaxTrail {
		trail = trail[len(trail)-crmMaxTrail:]
	}
	return trail
}

// crmQuickSearch reports whether the search box holds an e-mail address or a phone
// number, which are looked up exactly rather than listed.
func crmQuickSearch(q string) bool {
	if strings.Contains(q, "@") {
		return true
	}
	digits := 0
	for _, c := range q {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case strings.ContainsRune("+()-. ", c):
		default:
			return false
		}
	}
	return digits >= 3
}

// crmWithFilter is the address of path with a filter in its query.
func crmWithFilter(path string, f crmFilterForm) string {
	if q := f.Query(); q != "" {
		return path + "?" + q
	}
	return path
}
