package web

import (
	"context"
	"net/http"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/people"
)

// crmPersonForm is the person form as sent (or as stored, to edit), shown again with its
// errors.
type crmPersonForm struct {
	GivenName, FamilyName string
	Emails, Phones        string // one per line, the primary first
	Street, Street2       string
	City, State, County   string
	ZIP, Country          string
	Language              string
	Tags                  string // separated by commas
	Notes                 string
	Fields                map[string]string
}

// crmReadPerson reads the person form of a POST.
func crmReadPerson(r *http.Request, defs []people.FieldDef) crmPersonForm {
	v := r.PostFormValue
	f := crmPersonForm{
		GivenName: v("given_name"), FamilyName: v("family_name"), Emails: v("emails"), Phones: v("phones"),
		Street: v("street"), Street2: v("street2"), City: v("city"), State: v("state"), County: v("county"),
		ZIP: v("zip"), Country: v("country"), Language: v("language"), Tags: v("tags"), Notes: v("notes"),
		Fields: map[string]string{},
	}
	for _, d := range defs {
		f.Fields[d.Key] = v("fields." + d.Key)
	}
	return f
}

// crmFormOfPerson fills the form with a stored person, to edit them.
func crmFormOfPerson(p people.Person) crmPersonForm {
	var emails, phones []string
	for _, e := range p.Emails {
		emails = append(emails, e.Address)
	}
	for _, n := range p.Phones {
		phones = append(phones, n.Number)
	}
	a := p.Address
	return crmPersonForm{
		GivenName: p.GivenName, FamilyName: p.FamilyName, Emails: strings.Join(emails, "\n"), Phones: strings.Join(phones, "\n"),
		Street: a.Street, Street2: a.Street2, City: a.City, State: a.State, County: a.County, ZIP: a.ZIP, Country: a.Country,
		Language: p.Language, Tags: strings.Join(p.Tags, ", "), Notes: p.Notes, Fields: p.Fields,
	}
}

// Input is the form as the service takes it. Every custom field is sent, so that one
// left empty is cleared.
func (f crmPersonForm) Input() people.PersonInput {
	return people.PersonInput{
		GivenName: f.GivenName, FamilyName: f.FamilyName,
		Emails: crmSplit(f.Emails, crmListSeps+" \t"), Phones: crmSplit(f.Phones, crmListSeps),
		Address: people.Address{Street: f.Street, Street2: f.Street2, City: f.City, State: f.State, County: f.County,
			ZIP: f.ZIP, Country: f.Country},
		Language: f.Language, Tags: crmSplit(f.Tags, crmListSeps), Fields: f.Fields, Notes: f.Notes,
	}
}

// Field returns the value of a custom field, for the form's inputs.
func (f crmPersonForm) Field(key string) string { return f.Fields[key] }

// crmPersonFormPage is the data of the new-person and edit pages.
type crmPersonFormPage struct {
	ID     int64 // 0 for a new person
	Name   string
	Form   crmPersonForm
	Errors crmErrors
	Defs   []people.FieldDef
	Langs  []string
	// Existing is the person an e-mail or phone of the last new entry belonged to, who
	// was updated instead of adding someone twice.
	Existing *people.Person
}

// renderPersonForm renders the person form (new when id is 0) with its values and errors.
func (s *Server) renderPersonForm(w http.ResponseWriter, r *http.Request, status int, p crmPersonFormPage) {
	p.Langs = []string{"en", "es"}
	title := "crm.person.new_title"
	if p.ID != 0 {
		title = "crm.person.edit_title"
	}
	s.render(w, r, status, "crm_person_form", title, p)
}

// fieldDefs reads the custom field definitions a person form shows.
func (s *Server) fieldDefs(ctx context.Context, a auth.Actor) ([]people.FieldDef, error) {
	return s.People.Fields(ctx, a)
}
