package giving

import (
	"context"
	"fmt"

	"solidarity/internal/db"
)

// mergeDonors moves the gifts, monthly gifts and statement links of person lose to person
// keep when the people module merges two people, inside the merge's transaction, so that
// no gift loses its donor and the kept person's history holds them all.
func (s *Service) mergeDonors(ctx context.Context, tx *db.Tx, keep, lose int64) error {
	for _, table := range []string{"giving_gifts", "giving_recurring", "giving_links"} {
		if _, err := tx.ExecContext(ctx, "UPDATE "+table+" SET person_id = ? WHERE person_id = ?", keep, lose); err != nil {
			return fmt.Errorf("giving: merge %s: %w", table, err)
		}
	}
	return nil
}
