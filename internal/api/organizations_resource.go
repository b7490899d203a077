package api

import (
	"strconv"
	"time"

	"solidarity/internal/people"
)

// organizationResource is an organization of the network. OSDI has no such resource, so
// it lives under this server's namespace.
type organizationResource struct {
	Identifiers     []string        `json:"identifiers"`
	Name            string          `json:"name"`
	Kind            string          `json:"kind"`
	Region          string          `json:"region"`
	Country         string          `json:"country"`
	Website         string          `json:"website"`
	SummaryEn       string          `json:"summary_en"`
	SummaryEs       string          `json:"summary_es"`
	DirectoryListed bool            `json:"directory_listed"`
	CreatedDate     time.Time       `json:"created_date"`
	ModifiedDate    time.Time       `json:"modified_date"`
	Links           map[string]link `json:"_links"`
}

// organizationOf turns an organization into its API resource.
func (s *Server) organizationOf(o people.Organization) organizationResource {
	id := strconv.FormatInt(o.ID, 10)
	return organizationResource{
		Identifiers: []string{"solidarity:organization:" + id}, Name: o.Name, Kind: string(o.Kind),
		Region: o.Region, Country: o.Country, Website: o.Website, SummaryEn: o.SummaryEn, SummaryEs: o.SummaryEs,
		DirectoryListed: o.Listed, CreatedDate: o.CreatedAt.UTC(), ModifiedDate: o.UpdatedAt.UTC(),
		Links: map[string]link{"self": {Href: s.organizationsURL() + "/" + id}},
	}
}
