package people

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// OrgKind is what an organization is to the network.
type OrgKind string

// The kinds of organization.
const (
	OrgMember        OrgKind = "member"        // a member organization
	OrgPartner       OrgKind = "partner"       //
	OrgAlly          OrgKind = "ally"          //
	OrgInternational OrgKind = "international" // a collaborator abroad
	OrgFunder        OrgKind = "funder"        //
)

// OrgKinds lists the kinds in display order.
func OrgKinds() []OrgKind {
	return []OrgKind{OrgMember, OrgPartner, OrgAlly, OrgInternational, OrgFunder}
}

func (k OrgKind) valid() bool {
	for _, v := range OrgKinds() {
		if k == v {
			return true
		}
	}
	return false
}

// Organization is a member organization, partner, ally, collaborator abroad or funder.
type Organization struct {
	ID      int64
	Name    string
	Kind    OrgKind
	Region  string // a US state code or a region's name
	Country string // ISO code
	Website string
	// SummaryEn and SummaryEs describe it in the public directory.
	SummaryEn string
	SummaryEs string
	// Listed is true when it agreed to appear in the public directory, at ListedConsentAt.
	Listed          bool
	ListedConsentAt *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// OrganizationInput is what staff send to create or change an organization. Listed may be
// set only with the organization's consent, whose time is recorded.
type OrganizationInput struct {
	Name      string
	Kind      OrgKind
	Region    string
	Country   string
	Website   string
	SummaryEn string
	SummaryEs string
	Listed    bool
}

const (
	maxOrgName = 200
	maxSummary = 1000
	maxWebsite = 300
)

func (in *OrganizationInput) normalize() error {
	var l errs.List
	var ok bool
	if in.Name, ok = cleanText(in.Name, maxOrgName); !ok {
		l.Add("name", "people.field.too_long")
	} else if in.Name == "" {
		l.Add("name", "people.org.name_required")
	}
	if !in.Kind.valid() {
		l.Add("kind", "people.org.kind_invalid")
	}
	in.Region = normalizeState(in.Region)
	if utf8Len(in.Region) > maxState {
		l.Add("region", "people.field.too_long")
	}
	in.Country = normalizeCountry(in.Country)
	if utf8Len(in.Country) > maxCountry {
		l.Add("country", "people.field.too_long")
	}
	in.Website = strings.TrimSpace(in.Website)
	if in.Website != "" {
		if !strings.Contains(in.Website, "://") {
			in.Website = "https://" + in.Website
		}
		u, err := url.Parse(in.Website)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(in.Website) > maxWebsite || u.User != nil {
			l.Add("website", "people.org.website_invalid")
		}
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"summary_en", &in.SummaryEn}, {"summary_es", &in.SummaryEs}} {
		if *f.v, ok = cleanNotes(*f.v, maxSummary); !ok {
			l.Add(f.name, "people.field.too_long")
		}
	}
	return l.Err()
}

const orgColumns = "id, name, kind, region, country, website, summary_en, summary_es, directory_listed, directory_consent_at, created_at, updated_at"

func scanOrg(scan func(...any) error) (Organization, error) {
	var o Organization
	var consent sql.NullTime
	err := scan(&o.ID, &o.Name, &o.Kind, &o.Region, &o.Country, &o.Website, &o.SummaryEn, &o.SummaryEs, &o.Listed, &consent, &o.CreatedAt, &o.UpdatedAt)
	o.ListedConsentAt = nullTime(consent)
	return o, err
}

// SaveOrganization creates an organization (id 0) or changes one. Turning Listed on
// records the time of the organization's consent; turning it off clears it.
func (s *Service) SaveOrganization(ctx context.Context, actor auth.Actor, id int64, in OrganizationInput) (Organization, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return Organization{}, err
	}
	if err := in.normalize(); err != nil {
		return Organization{}, err
	}
	err := s.inTx(ctx, func(tx *db.Tx) error {
		if id == 0 {
			var consent any
			if in.Listed {
				consent = tx.Now
			}
			var err error
			id, err = tx.Insert(ctx, `INSERT INTO organizations (name, name_key, kind, region, country, website, summary_en, summary_es,
				directory_listed, directory_consent_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				in.Name, Fold(in.Name), in.Kind, in.Region, in.Country, in.Website, in.SummaryEn, in.SummaryEs, in.Listed, consent, tx.Now, tx.Now)
			if err != nil {
				return fmt.Errorf("people: create organization: %w", err)
			}
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE organizations SET name = ?, name_key = ?, kind = ?, region = ?, country = ?, website = ?,
			summary_en = ?, summary_es = ?,
			directory_consent_at = CASE WHEN ? THEN COALESCE(directory_consent_at, ?) ELSE NULL END,
			directory_listed = ?, updated_at = ? WHERE id = ?`,
			in.Name, Fold(in.Name), in.Kind, in.Region, in.Country, in.Website, in.SummaryEn, in.SummaryEs,
			in.Listed, tx.Now, in.Listed, tx.Now, id)
		if err != nil {
			return fmt.Errorf("people: update organization: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFound("people.org.not_found")
		}
		return nil
	})
	if err != nil {
		return Organization{}, err
	}
	return s.Organization(ctx, actor, id)
}

// Organization returns one organization.
func (s *Service) Organization(ctx context.Context, actor auth.Actor, id int64) (Organization, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return Organization{}, err
	}
	o, err := scanOrg(s.db.QueryRowContext(ctx, "SELECT "+orgColumns+" FROM organizations WHERE id = ?", id).Scan)
	return o, db.Translate(err, "people.org.not_found", "")
}

// DeleteOrganization removes an organization and its affiliations (not the people). Audited.
func (s *Service) DeleteOrganization(ctx context.Context, actor auth.Actor, id int64) error {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM organizations WHERE id = ?", id)
		if err != nil {
			return fmt.Errorf("people: delete organization: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFound("people.org.not_found")
		}
		return record(ctx, tx, actor, "people.org_delete", fmt.Sprintf("organization:%d", id), "")
	})
}

// OrgQuery filters and pages the organization list.
type OrgQuery struct {
	Search string // a prefix of the name
	Kind   OrgKind
	Region string
	// Listed, when set, keeps the organizations that are (true) or are not (false) listed
	// in the public directory.
	Listed *bool
	After  string // cursor
	Limit  int
}

// OrgPage is one page of organizations by name.
type OrgPage struct {
	Organizations []Organization
	Next          string
}

// Organizations lists organizations by name, with filters and keyset pages.
func (s *Service) Organizations(ctx context.Context, actor auth.Actor, q OrgQuery) (OrgPage, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return OrgPage{}, err
	}
	where, args := []string{"1=1"}, []any{}
	if k := Fold(q.Search); k != "" {
		where = append(where, "name_key >= ? AND name_key < ?")
		args = append(args, k, prefixEnd(k))
	}
	if q.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, q.Kind)
	}
	if q.Region != "" {
		where = append(where, "region = ?")
		args = append(args, normalizeState(q.Region))
	}
	if q.Listed != nil {
		where = append(where, "directory_listed = ?")
		args = append(args, *q.Listed)
	}
	if q.After != "" {
		c, err := decodeCursor(q.After)
		if err != nil {
			return OrgPage{}, err
		}
		where = append(where, "(name_key > ? OR (name_key = ? AND id > ?))")
		args = append(args, c.Value, c.Value, c.ID)
	}
	limit := pageSize(q.Limit)
	var page OrgPage
	err := eachRow(ctx, s.db, "SELECT "+orgColumns+" FROM organizations WHERE "+strings.Join(where, " AND ")+" ORDER BY name_key, id LIMIT ?",
		append(args, limit+1), func(scan func(...any) error) error {
			o, err := scanOrg(scan)
			page.Organizations = append(page.Organizations, o)
			return err
		})
	if err != nil {
		return OrgPage{}, coded(err)
	}
	if len(page.Organizations) > limit {
		page.Organizations = page.Organizations[:limit]
		last := page.Organizations[limit-1]
		page.Next = encodeCursor(cursorValue{Value: Fold(last.Name), ID: last.ID})
	}
	return page, nil
}

// DirectoryEntry is what the public directory shows of an organization: nothing about its
// people.
type DirectoryEntry struct {
	ID        int64
	Name      string
	Kind      OrgKind
	Region    string
	Country   string
	Website   string
	SummaryEn string
	SummaryEs string
}

// PublicDirectory lists the organizations that agreed to be listed, by name, in one region
// (a US state code, a region's name or a country code) or everywhere when region is "".
// It needs no permission: it is the public page's data.
func (s *Service) PublicDirectory(ctx context.Context, region string) ([]DirectoryEntry, error) {
	where, args := "directory_listed = TRUE AND directory_consent_at IS NOT NULL", []any{}
	if region = strings.TrimSpace(region); region != "" {
		where += " AND (region = ? OR country = ?)"
		args = append(args, normalizeState(region), normalizeCountry(region))
	}
	var out []DirectoryEntry
	err := eachRow(ctx, s.db, "SELECT id, name, kind, region, country, website, summary_en, summary_es FROM organizations WHERE "+
		where+" ORDER BY name_key, id LIMIT 2000", args, func(scan func(...any) error) error {
		var e DirectoryEntry
		err := scan(&e.ID, &e.Name, &e.Kind, &e.Region, &e.Country, &e.Website, &e.SummaryEn, &e.SummaryEs)
		out = append(out, e)
		return err
	})
	return out, coded(err)
}

// DirectoryRegions lists the regions that have at least one listed organization, for the
// directory's region picker.
func (s *Service) DirectoryRegions(ctx context.Context) ([]string, error) {
	var out []string
	err := eachRow(ctx, s.db, "SELECT DISTINCT region FROM organizations WHERE directory_listed = TRUE AND region <> '' ORDER BY region", nil,
		func(scan func(...any) error) error {
			var r string
			err := scan(&r)
			out = append(out, r)
			return err
		})
	return out, coded(err)
}
