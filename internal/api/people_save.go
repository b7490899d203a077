package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// personBody is a person as a client sends one, in OSDI's shape. The status of e-mail
// addresses and phone numbers records consent (see consentClaims); an entry without a
// status leaves consent as it is.
type personBody struct {
	GivenName       string          `json:"given_name"`
	FamilyName      string          `json:"family_name"`
	EmailAddresses  []emailAddress  `json:"email_addresses"`
	PhoneNumbers    []phoneNumber   `json:"phone_numbers"`
	PostalAddresses []postalAddress `json:"postal_addresses"`
	LanguagesSpoken []string        `json:"languages_spoken"`
	CustomFields    map[string]any  `json:"custom_fields"`
}

// signupBody is OSDI's person signup helper: the person (wrapped in "person", or at the
// top level) and tags to add.
type signupBody struct {
	Person *personBody `json:"person"`
	personBody
	AddTags []string `json:"add_tags"`
}

// peopleSave serves POST /api/v1/people, OSDI's person signup helper: it finds the person
// by e-mail (then phone) and updates them, or creates them. Stored values are replaced by
// the non-empty values sent; e-mails, phones and tags are added, never removed. 201 with
// Location for a new person, 200 for an existing one; bad JSON or fields get 422 with
// each field named as the client wrote it.
func (s *Server) peopleSave(w http.ResponseWriter, r *http.Request) {
	var body signupBody
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.fail(w, r, errs.Invalid("body", "error.too_large"))
			return
		}
		s.fail(w, r, errs.Invalid("body", "public.api.body_invalid"))
		return
	}
	p := body.personBody
	if body.Person != nil {
		p = *body.Person
	}
	in, err := p.input(body.AddTags)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	claims, err := p.consentClaims()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	actor := auth.ActorFrom(r.Context())
	res, err := s.People.UpsertWithConsent(r.Context(), actor, in, claims)
	if err != nil {
		s.fail(w, r, apiFields(err))
		return
	}
	person, err := s.People.Get(r.Context(), actor, res.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := s.personOf(person)
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
		w.Header().Set("Location", out.Links["self"].Href)
	}
	writeJSON(w, status, out)
}

// input turns the body into the service's input, primary e-mail and phone first.
func (b personBody) input(tags []string) (people.PersonInput, error) {
	in := people.PersonInput{GivenName: b.GivenName, FamilyName: b.FamilyName, Tags: tags}
	emails := slices.Clone(b.EmailAddresses)
	slices.SortStableFunc(emails, func(x, y emailAddress) int { return primaryFirst(x.Primary, y.Primary) })
	for _, e := range emails {
		in.Emails = append(in.Emails, e.Address)
	}
	phones := slices.Clone(b.PhoneNumbers)
	slices.SortStableFunc(phones, func(x, y phoneNumber) int { return primaryFirst(x.Primary, y.Primary) })
	for _, n := range phones {
		in.Phones = append(in.Phones, n.Number)
	}
	if len(b.PostalAddresses) > 0 {
		a := b.PostalAddresses[0]
		for _, pa := range b.PostalAddresses {
			if pa.Primary {
				a = pa
				break
			}
		}
		in.Address = people.Address{City: a.Locality, State: a.Region, ZIP: a.PostalCode, Country: a.Country}
		if len(a.AddressLines) > 0 {
			in.Address.Street = a.AddressLines[0]
		}
		if len(a.AddressLines) > 1 {
			in.Address.Street2 = strings.Join(a.AddressLines[1:], ", ")
		}
	}
	if len(b.LanguagesSpoken) > 0 {
		in.Language = b.LanguagesSpoken[0]
	}
	var l errs.List
	for k, v := range b.CustomFields {
		if in.Fields == nil {
			in.Fields = map[string]string{}
		}
		switch v := v.(type) {
		case string:
			in.Fields[k] = v
		case json.Number:
			in.Fields[k] = v.String()
		case bool:
			in.Fields[k] = strconv.FormatBool(v)
		case nil:
			in.Fields[k] = ""
		default:
			l.Add("custom_fields."+k, "public.api.body_invalid")
		}
	}
	return in, l.Err()
}

// consentClaims reads the OSDI statuses of the body's addresses. On an e-mail address,
// "subscribed" grants e-mail consent, "unsubscribed" and "spam complaint" revoke it, and
// "bouncing" is a fact about delivery, not a decision of the person, so it changes nothing
// (as in a CSV import). On a phone number, "subscribed" grants SMS consent and
// "unsubscribed" revokes it. Any other status is a 422 naming the field.
func (b personBody) consentClaims() ([]people.ConsentClaim, error) {
	var out []people.ConsentClaim
	var l errs.List
	for _, e := range b.EmailAddresses {
		c := people.ConsentClaim{Channel: people.ChannelEmail, Address: e.Address}
		switch strings.ToLower(strings.TrimSpace(e.Status)) {
		case "", "bouncing":
			continue
		case "subscribed":
			c.Status = people.ConsentGranted
		case "unsubscribed", "spam complaint":
			c.Status = people.ConsentRevoked
		default:
			l.Add("email_addresses.status", "public.api.email_status_invalid")
			continue
		}
		out = append(out, c)
	}
	for _, n := range b.PhoneNumbers {
		c := people.ConsentClaim{Channel: people.ChannelSMS, Address: n.Number}
		switch strings.ToLower(strings.TrimSpace(n.Status)) {
		case "":
			continue
		case "subscribed":
			c.Status = people.ConsentGranted
		case "unsubscribed":
			c.Status = people.ConsentRevoked
		default:
			l.Add("phone_numbers.status", "public.api.phone_status_invalid")
			continue
		}
		out = append(out, c)
	}
	return out, l.Err()
}

// primaryFirst orders the primary entry before the others.
func primaryFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// apiNames are the body's names for the service's fields.
var apiNames = map[string]string{
	"emails": "email_addresses", "phones": "phone_numbers", "language": "languages_spoken", "tags": "add_tags",
	"street": "postal_addresses.address_lines", "street2": "postal_addresses.address_lines",
	"city": "postal_addresses.locality", "state": "postal_addresses.region", "county": "postal_addresses.region",
	"zip": "postal_addresses.postal_code", "country": "postal_addresses.country",
}

// apiFields renames the field errors of err to the names the client wrote.
func apiFields(err error) error {
	fields := errs.Fields(err)
	if len(fields) == 0 {
		return err
	}
	var l errs.List
	for _, f := range fields {
		e := *f
		if name, ok := apiNames[e.Field]; ok {
			e.Field = name
		} else if k, ok := strings.CutPrefix(e.Field, "fields."); ok {
			e.Field = "custom_fields." + k
		}
		l = append(l, &e)
	}
	return l
}
