package people

import (
	"context"
	"strings"

	"solidarity/internal/auth"
)

// OrgFilter is an organization list query with the directory filter of the staff list.
type OrgFilter struct {
	OrgQuery
	// Listed, when set, keeps the organizations that are (true) or are not (false) listed
	// in the public directory.
	Listed *bool
}

// FindOrganizations lists organizations by name like Organizations, also filtered by
// whether they are listed in the public directory.
func (s *Service) FindOrganizations(ctx context.Context, actor auth.Actor, f OrgFilter) (OrgPage, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return OrgPage{}, err
	}
	q := f.OrgQuery
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
	if f.Listed != nil {
		where = append(where, "directory_listed = ?")
		args = append(args, *f.Listed)
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
