package giving

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// ExportColumns are the columns of the gift export, in order.
var ExportColumns = []string{
	"gift_id", "received_on", "amount", "refunded", "net", "currency", "method", "status", "fund_code", "fund",
	"page", "recurring", "reference", "receipt_number", "donor_name", "donor_email", "person_id", "recorded_by",
}

// money writes cents as a plain decimal ("25.50") for spreadsheets.
func money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// ExportGifts writes the gifts a query selects (its page cursor and size ignored) to w as
// CSV, oldest first, and returns how many it wrote. Every cell is neutralized against
// formula injection with the people export's rule (people.Neutralize: a cell starting with
// =, +, -, @, a tab or a carriage return gets a leading apostrophe). It needs
// giving.export, and records the export (filter and count, no donor data) in the audit log
// before the first row leaves, so that no export goes unrecorded.
func (s *Service) ExportGifts(ctx context.Context, actor auth.Actor, q GiftQuery, w io.Writer) (int, error) {
	if err := actor.Require(auth.PermGivingExport); err != nil {
		return 0, err
	}
	q.After, q.Limit = "", 0
	if err := q.Validate(); err != nil {
		return 0, err
	}
	where, args := q.where()
	_, count, err := totalsOf(ctx, s.db, " FROM giving_gifts g"+where, args)
	if err != nil {
		return 0, err
	}
	filter, _ := json.Marshal(map[string]any{"from": dateOrEmpty(q.From), "to": dateOrEmpty(q.To), "method": q.Method,
		"fund_id": q.FundID, "page_id": q.PageID, "person_id": q.PersonID})
	if err := s.inTx(ctx, func(tx *db.Tx) error {
		return record(ctx, tx, actor, "giving.export", "giving_gifts", fmt.Sprintf(`{"count":%d,"filter":%s}`, count, filter))
	}); err != nil {
		return 0, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+giftColumns+giftJoins+where+" ORDER BY g.received_at, g.id", args...)
	if err != nil {
		return 0, errs.Internal(fmt.Errorf("giving: export: %w", err))
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportColumns); err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		g, err := scanGift(rows.Scan)
		if err != nil {
			return n, errs.Internal(fmt.Errorf("giving: export row: %w", err))
		}
		rec := []string{
			strconv.FormatInt(g.ID, 10), g.ReceivedAt.UTC().Format("2006-01-02"), money(g.AmountCents), money(g.RefundedCents),
			money(g.AmountCents - g.RefundedCents), g.Currency, string(g.Method), string(g.Status), g.FundCode, g.FundEn,
			g.PageTitleEn, strconv.FormatBool(g.RecurringID != 0), g.Reference, idOrEmpty(g.ReceiptNumber), g.DonorName,
			g.DonorEmail, idOrEmpty(g.PersonID), g.RecordedBy,
		}
		for i := range rec {
			rec[i] = people.Neutralize(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return n, err
		}
		n++
		if n%500 == 0 {
			if cw.Flush(); cw.Error() != nil {
				return n, cw.Error()
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, errs.Internal(err)
	}
	cw.Flush()
	return n, cw.Error()
}

func idOrEmpty(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
