package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// link is a HAL link.
type link struct {
	Href string `json:"href"`
}

// emailAddress is one of a person's addresses, as OSDI writes it. In answers, Status is set
// on the primary address from the person's e-mail consent ("subscribed" or
// "unsubscribed"); in a signup it states consent (see personBody.consentClaims).
type emailAddress struct {
	Address string `json:"address"`
	Primary bool   `json:"primary"`
	Status  string `json:"status,omitempty"`
}

// phoneNumber is one of a person's numbers (E.164), as OSDI writes it. In answers, Status
// is set on the primary number from the person's SMS consent; in a signup it states SMS
// consent.
type phoneNumber struct {
	Number  string `json:"number"`
	Primary bool   `json:"primary"`
	Status  string `json:"status,omitempty"`
}

// postalAddress is a person's address, as OSDI writes it.
type postalAddress struct {
	Primary      bool     `json:"primary"`
	AddressLines []string `json:"address_lines,omitempty"`
	Locality     string   `json:"locality,omitempty"`
	Region       string   `json:"region,omitempty"`
	PostalCode   string   `json:"postal_code,omitempty"`
	Country      string   `json:"country,omitempty"`
}

// personResource is a person in the shape of OSDI's osdi:person, with the person's tags
// under this server's namespace.
type personResource struct {
	Identifiers     []string          `json:"identifiers"`
	GivenName       string            `json:"given_name"`
	FamilyName      string            `json:"family_name"`
	CreatedDate     time.Time         `json:"created_date"`
	ModifiedDate    time.Time         `json:"modified_date"`
	LanguagesSpoken []string          `json:"languages_spoken"`
	EmailAddresses  []emailAddress    `json:"email_addresses"`
	PhoneNumbers    []phoneNumber     `json:"phone_numbers"`
	PostalAddresses []postalAddress   `json:"postal_addresses"`
	CustomFields    map[string]string `json:"custom_fields"`
	Tags            []string          `json:"solidarity:tags"`
	Links           map[string]link   `json:"_links"`
}

// consentStatus maps a consent to OSDI's subscription status; "" when there is none to say
// (nothing recorded, or waiting for confirmation).
func consentStatus(c people.Consent) string {
	switch c.Status {
	case people.ConsentGranted:
		return "subscribed"
	case people.ConsentRevoked:
		return "unsubscribed"
	}
	return ""
}

// personOf turns a person into its API resource.
func (s *Server) personOf(p people.Person) personResource {
	res := personResource{
		Identifiers: []string{"solidarity:" + strconv.FormatInt(p.ID, 10)},
		GivenName:   p.GivenName, FamilyName: p.FamilyName,
		CreatedDate: p.CreatedAt.UTC(), ModifiedDate: p.UpdatedAt.UTC(),
		LanguagesSpoken: []string{}, EmailAddresses: []emailAddress{}, PhoneNumbers: []phoneNumber{},
		PostalAddresses: []postalAddress{}, CustomFields: map[string]string{}, Tags: []string{},
		Links: map[string]link{"self": {Href: s.peopleURL() + "/" + strconv.FormatInt(p.ID, 10)}},
	}
	if p.Language != "" {
		res.LanguagesSpoken = append(res.LanguagesSpoken, p.Language)
	}
	for i, e := range p.Emails {
		a := emailAddress{Address: e.Address, Primary: i == 0}
		if i == 0 {
			a.Status = consentStatus(p.ConsentFor(people.ChannelEmail))
		}
		res.EmailAddresses = append(res.EmailAddresses, a)
	}
	for i, n := range p.Phones {
		pn := phoneNumber{Number: n.Number, Primary: i == 0}
		if i == 0 {
			pn.Status = consentStatus(p.ConsentFor(people.ChannelSMS))
		}
		res.PhoneNumbers = append(res.PhoneNumbers, pn)
	}
	if a := p.Address; a != (people.Address{}) {
		pa := postalAddress{Primary: true, Locality: a.City, Region: a.State, PostalCode: a.ZIP, Country: a.Country}
		for _, line := range []string{a.Street, a.Street2} {
			if line != "" {
				pa.AddressLines = append(pa.AddressLines, line)
			}
		}
		res.PostalAddresses = append(res.PostalAddresses, pa)
	}
	for k, v := range p.Fields {
		res.CustomFields[k] = v
	}
	res.Tags = append(res.Tags, p.Tags...)
	return res
}

// peopleURL is the address of the people collection.
func (s *Server) peopleURL() string { return s.BaseURL + "/api/v1/people" }

// organizationsURL is the address of the organizations collection.
func (s *Server) organizationsURL() string { return s.BaseURL + "/api/v1/organizations" }

// pathID reads the {id} of a resource address; anything but a positive number is a record
// that does not exist.
func pathID(r *http.Request, notFound string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFound(notFound)
	}
	return id, nil
}

// maxPerPage is the largest page the collections serve (the entry point says so too).
const maxPerPage = 100

// paging is what a collection request asks for: page number and size.
type paging struct {
	Page    int
	PerPage int
}

// pagingOf reads ?page= (from 1) and ?per_page= (1 to 100, default 25).
func pagingOf(q url.Values) (paging, error) {
	p := paging{Page: 1, PerPage: 25}
	var l errs.List
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			l.Add("page", "public.api.page_invalid")
		}
		p.Page = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPerPage {
			l.Add("per_page", "public.api.page_invalid")
		}
		p.PerPage = n
	}
	return p, l.Err()
}

// nextURL is the address of the following page: the same query, the next page number and
// the given cursor.
func nextURL(collection string, q url.Values, page int, after string) string {
	next := url.Values{}
	for k, v := range q {
		next[k] = append([]string(nil), v...)
	}
	next.Set("page", strconv.Itoa(page+1))
	next.Set("after", after)
	return collection + "?" + next.Encode()
}

// selfURL is the address of the page asked for.
func selfURL(collection string, q url.Values) string {
	if len(q) == 0 {
		return collection
	}
	return collection + "?" + q.Encode()
}

// trimmed returns the non-empty, trimmed values.
func trimmed(values []string) []string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
