package web

import (
	"net/http"
	"slices"
	"strings"

	"solidarity/internal/people"
)

// crmOrgsPage is the data of the organization list.
type crmOrgsPage struct {
	Q, Kind, Listed, Region string
	Kinds                   []people.OrgKind
	Organizations           []people.Organization
	Next, Previous, First   string
}

// organizationsList lists organizations by name, filtered by the beginning of the name,
// kind, region and whether they are listed in the public directory, a page at a time.
func (s *Server) organizationsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := crmOrgsPage{Q: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), Listed: q.Get("listed"),
		Region: strings.TrimSpace(q.Get("region")), Kinds: people.OrgKinds()}
	f := people.OrgQuery{Search: p.Q, Region: p.Region, After: q.Get("after"), Limit: crmPageSize}
	if slices.Contains(p.Kinds, people.OrgKind(p.Kind)) {
		f.Kind = people.OrgKind(p.Kind)
	}
	switch p.Listed {
	case "yes", "no":
		listed := p.Listed == "yes"
		f.Listed = &listed
	}
	page, err := s.People.Organizations(r.Context(), actor(r), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Organizations = page.Organizations
	link := func(after string, trail []string) string {
		v := map[string]string{"q": p.Q, "kind": string(f.Kind), "listed": p.Listed, "region": p.Region, "after": after, "trail": strings.Join(trail, ".")}
		return crmQueryURL("/organizations", v)
	}
	after, trail := f.After, crmTrail(q.Get("trail"))
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
		p.Previous = p.First
		if n := len(trail); n > 0 {
			p.Previous = link(trail[n-1], trail[:n-1])
		}
	}
	s.render(w, r, http.StatusOK, "crm_organizations", "crm.orgs.title", p)
}
