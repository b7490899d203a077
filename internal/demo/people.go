package demo

import (
	"context"
	"fmt"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/people"
)

// demoOrgs are invented organizations of the network.
var demoOrgs = []people.OrganizationInput{
	{Name: "Comité de Familias Unidas", Kind: people.OrgMember, Region: "CA", Country: "US", Website: "https://familias.example.org",
		SummaryEn: "Families defending families in the Central Valley.", SummaryEs: "Familias que defienden a familias en el Valle Central.", Listed: true},
	{Name: "Red de Respuesta Rápida del Sur", Kind: people.OrgMember, Region: "TX", Country: "US",
		SummaryEn: "Rapid response volunteers across South Texas.", SummaryEs: "Voluntarios de respuesta rápida en el sur de Texas.", Listed: true},
	{Name: "Workers' Rights Legal Clinic", Kind: people.OrgPartner, Region: "IL", Country: "US", Website: "https://clinic.example.org",
		SummaryEn: "Free legal advice for workers, whatever their status.", SummaryEs: "Asesoría legal gratuita para trabajadores, sin importar su estatus.", Listed: true},
	{Name: "Faith Coalition for Sanctuary", Kind: people.OrgAlly, Region: "NY", Country: "US", Listed: false},
	{Name: "Casa del Migrante Tijuana", Kind: people.OrgInternational, Country: "MX",
		SummaryEn: "Shelter and accompaniment at the border.", SummaryEs: "Albergue y acompañamiento en la frontera.", Listed: true},
}

// demoPeople are invented members and supporters.
var demoPeople = []people.PersonInput{
	{GivenName: "María", FamilyName: "González", Emails: []string{"maria.gonzalez@demo.solidarity.invalid"}, Phones: []string{"+15595550101"},
		Address: people.Address{City: "Fresno", State: "CA", ZIP: "93701", Country: "US"}, Language: "es", Tags: []string{"volunteer", "rapid-response"}},
	{GivenName: "James", FamilyName: "Carter", Emails: []string{"james.carter@demo.solidarity.invalid"},
		Address: people.Address{City: "Chicago", State: "IL", ZIP: "60608", Country: "US"}, Language: "en", Tags: []string{"donor"}},
	{GivenName: "Guadalupe", FamilyName: "Ramírez", Emails: []string{"lupe.ramirez@demo.solidarity.invalid"}, Phones: []string{"+19565550144"},
		Address: people.Address{City: "Brownsville", State: "TX", ZIP: "78520", Country: "US"}, Language: "es", Tags: []string{"responder"}},
	{GivenName: "Kwame", FamilyName: "Mensah", Emails: []string{"kwame.mensah@demo.solidarity.invalid"},
		Address: people.Address{City: "Bronx", State: "NY", ZIP: "10451", Country: "US"}, Language: "en", Tags: []string{"volunteer"}},
	{GivenName: "Sofía", FamilyName: "Hernández", Emails: []string{"sofia.h@demo.solidarity.invalid"},
		Address: people.Address{City: "Los Angeles", State: "CA", ZIP: "90033", Country: "US"}, Language: "es", Tags: []string{"member"}},
	{GivenName: "Linh", FamilyName: "Nguyen", Emails: []string{"linh.nguyen@demo.solidarity.invalid"}, Phones: []string{"+17135550199"},
		Address: people.Address{City: "Houston", State: "TX", ZIP: "77036", Country: "US"}, Language: "en", Tags: []string{"donor", "volunteer"}},
}

// loadPeople adds the invented organizations, a free and a paid membership tier, and
// people with memberships and affiliations, and returns the people's ids in the order of
// demoPeople (the giving demo makes them donors).
func loadPeople(ctx context.Context, p *people.Service) ([]int64, error) {
	sys := auth.System("demo")
	var orgIDs []int64
	for _, o := range demoOrgs {
		org, err := p.SaveOrganization(ctx, sys, 0, o)
		if err != nil {
			return nil, fmt.Errorf("demo: organization %s: %w", o.Name, err)
		}
		orgIDs = append(orgIDs, org.ID)
	}
	free, err := p.SaveTier(ctx, sys, 0, people.Tier{NameEn: "Supporter", NameEs: "Simpatizante", Period: people.PeriodFree, Active: true, Position: 1})
	if err != nil {
		return nil, fmt.Errorf("demo: tier: %w", err)
	}
	paid, err := p.SaveTier(ctx, sys, 0, people.Tier{NameEn: "Sustaining member", NameEs: "Miembro sostenedor", AmountCents: 1000, Currency: "USD", Period: people.PeriodMonthly, Active: true, Position: 2})
	if err != nil {
		return nil, fmt.Errorf("demo: tier: %w", err)
	}
	start := time.Now().AddDate(0, -3, 0)
	ids := make([]int64, 0, len(demoPeople))
	for i, in := range demoPeople {
		person, err := p.Create(ctx, sys, in)
		if err != nil {
			return nil, fmt.Errorf("demo: person %d: %w", i, err)
		}
		tier := free.ID
		if i%2 == 1 {
			tier = paid.ID
		}
		expires := start.AddDate(1, 0, 0)
		if _, err := p.SetMembership(ctx, sys, person.ID, people.MembershipInput{TierID: tier, Status: people.MemberActive, StartedAt: &start, ExpiresAt: &expires}); err != nil {
			return nil, fmt.Errorf("demo: membership %d: %w", i, err)
		}
		if err := p.Affiliate(ctx, sys, person.ID, orgIDs[i%len(orgIDs)], "member", i%3 == 0); err != nil {
			return nil, fmt.Errorf("demo: affiliation %d: %w", i, err)
		}
		ids = append(ids, person.ID)
	}
	return ids, nil
}
