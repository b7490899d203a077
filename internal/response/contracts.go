package response

import (
	"context"

	"solidarity/internal/db"
)

// These functions are the seams between the parts of the module that are being built at
// the same time. Each is replaced by its owner's implementation (and this file removed).

// smsReport opens or continues the report conversation of phone from with body, in tx,
// and returns the reply to send ("" for none). OWNED BY THE INTAKE WORK.
func (s *Service) smsReport(ctx context.Context, tx *db.Tx, from, body, lang string) (string, error) {
	_, _, _, _, _ = ctx, tx, from, body, lang
	return "", nil
}

// boardChanged tells every open board, on every node, that report reportID changed, in tx
// (the event leaves only if tx commits). OWNED BY THE INTAKE WORK.
func (s *Service) boardChanged(ctx context.Context, tx *db.Tx, reportID int64) error {
	_, _, _ = ctx, tx, reportID
	return nil
}

// smsLeave ends every alert subscription of phone from (STOP/ALTO), in tx. OWNED BY THE
// ALERTS WORK.
func (s *Service) smsLeave(ctx context.Context, tx *db.Tx, from string) error {
	_, _, _ = ctx, tx, from
	return nil
}
