package people

import (
	"context"
	"fmt"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Affiliation ties a person to an organization with a role.
type Affiliation struct {
	OrganizationID   int64
	OrganizationName string
	PersonID         int64
	PersonName       string
	Role             string
	// Contact marks one of the organization's contacts.
	Contact   bool
	CreatedAt time.Time
}

// Affiliate adds a person to an organization with a role, or changes the role.
func (s *Service) Affiliate(ctx context.Context, actor auth.Actor, personID, orgID int64, role string, contact bool) error {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return err
	}
	role, ok := cleanText(role, maxRole)
	if !ok {
		return errs.Invalid("role", "people.field.too_long")
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		if err := exists(ctx, tx, personID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO affiliations (organization_id, person_id, role, contact, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (organization_id, person_id) DO UPDATE SET role = excluded.role, contact = excluded.contact`,
			orgID, personID, role, contact, tx.Now)
		if db.IsForeignKey(err) {
			return errs.NotFound("people.org.not_found")
		}
		if err != nil {
			return fmt.Errorf("people: affiliate: %w", err)
		}
		return nil
	})
}

// Unaffiliate removes a person from an organization.
func (s *Service) Unaffiliate(ctx context.Context, actor auth.Actor, personID, orgID int64) error {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM affiliations WHERE organization_id = ? AND person_id = ?", orgID, personID)
		if err != nil {
			return fmt.Errorf("people: unaffiliate: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFound("people.affiliation.not_found")
		}
		return nil
	})
}

// OrganizationPeople lists an organization's people with their roles, contacts first.
func (s *Service) OrganizationPeople(ctx context.Context, actor auth.Actor, orgID int64) ([]Affiliation, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return nil, err
	}
	var out []Affiliation
	err := eachRow(ctx, s.db, `SELECT a.organization_id, o.name, a.person_id, p.given_name, p.family_name, a.role, a.contact, a.created_at
		FROM affiliations a JOIN organizations o ON o.id = a.organization_id JOIN people p ON p.id = a.person_id
		WHERE a.organization_id = ? ORDER BY a.contact DESC, p.name_key, p.id LIMIT 5000`, []any{orgID}, func(scan func(...any) error) error {
		var a Affiliation
		var given, family string
		if err := scan(&a.OrganizationID, &a.OrganizationName, &a.PersonID, &given, &family, &a.Role, &a.Contact, &a.CreatedAt); err != nil {
			return err
		}
		a.PersonName = Person{GivenName: given, FamilyName: family}.Name()
		out = append(out, a)
		return nil
	})
	return out, coded(err)
}

func personAffiliations(ctx context.Context, q db.Queryer, personID int64) ([]Affiliation, error) {
	var out []Affiliation
	err := eachRow(ctx, q, `SELECT a.organization_id, o.name, a.person_id, a.role, a.contact, a.created_at
		FROM affiliations a JOIN organizations o ON o.id = a.organization_id WHERE a.person_id = ? ORDER BY o.name_key`,
		[]any{personID}, func(scan func(...any) error) error {
			var a Affiliation
			err := scan(&a.OrganizationID, &a.OrganizationName, &a.PersonID, &a.Role, &a.Contact, &a.CreatedAt)
			out = append(out, a)
			return err
		})
	return out, err
}
