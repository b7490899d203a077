package giving

import (
	"context"

	"solidarity/internal/db"
)

// issueReceipt gives gift giftID the next receipt number and queues its receipt e-mail, in
// the caller's transaction. OWNED BY THE RECEIPTS WORK: this placeholder is replaced.
func (s *Service) issueReceipt(ctx context.Context, tx *db.Tx, giftID int64) error {
	_, _, _ = ctx, tx, giftID
	return nil
}
