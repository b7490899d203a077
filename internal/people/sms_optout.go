package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"solidarity/internal/db"
)

// OptOutSMS records, inside the caller's transaction, that the holder of phone texted a
// stop keyword (STOP, ALTO…): the SMS consent of the person the number belongs to is
// revoked, by keyword, with a timeline entry. It returns the person's id, or 0 when no
// person holds the number (nothing changes then). The number is never logged or audited.
func (s *Service) OptOutSMS(ctx context.Context, tx *db.Tx, phone string) (int64, error) {
	n, ok := NormalizePhone(phone, s.cfg.DefaultRegion)
	if !ok {
		return 0, nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT person_id FROM person_phones WHERE phone = ?", n).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("people: opt out: %w", err)
	}
	if err := s.RecordConsent(ctx, tx, id, ChannelSMS, ConsentRevoked, MethodKeyword); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE people SET updated_at = ? WHERE id = ?", tx.Now, id); err != nil {
		return 0, fmt.Errorf("people: opt out: %w", err)
	}
	return id, nil
}
