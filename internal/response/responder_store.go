package response

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Responders are people: their names, primary phone and e-mail and SMS consent are read
// from the people module's tables (read only, never copied), so that a change there is
// seen at once and deleting the person deletes the responder.

// responderColumns are read by responderScan, from response_responders r joined to
// people p, consents c (the person's SMS consent) and accounts a (the linked account).
const responderColumns = `r.id, r.person_id, r.account_id, p.given_name, p.family_name, p.phone <> '', p.email <> '',
	COALESCE(c.status, '') = 'revoked', r.trained_on, r.languages, r.channel, r.on_call, r.time_zone,
	r.zips, r.counties, r.hours, r.created_at, r.updated_at, COALESCE(a.email, '')`

const responderFrom = ` FROM response_responders r JOIN people p ON p.id = r.person_id
	LEFT JOIN consents c ON c.person_id = r.person_id AND c.channel = 'sms'
	LEFT JOIN accounts a ON a.id = r.account_id`

func responderScan(scan func(...any) error) (Responder, error) {
	var r Responder
	var account sql.NullInt64
	var given, family, langs, zips, counties, hours string
	var trained sql.NullTime
	err := scan(&r.ID, &r.PersonID, &account, &given, &family, &r.HasPhone, &r.HasEmail, &r.SMSRevoked,
		&trained, &langs, &r.Channel, &r.OnCall, &r.TimeZone, &zips, &counties, &hours, &r.CreatedAt, &r.UpdatedAt, &r.AccountEmail)
	if err != nil {
		return r, err
	}
	r.AccountID = account.Int64
	r.Name = strings.TrimSpace(given + " " + family)
	if trained.Valid {
		r.TrainedOn = trained.Time.UTC()
	}
	r.Languages, r.ZIPs, r.Counties = responderList(langs), responderList(zips), responderList(counties)
	r.Hours = decodeHours(hours)
	return r, nil
}

// responderQuery reads the responders a condition keeps (where is fixed SQL, "" for all;
// args its values), in name order.
func responderQuery(ctx context.Context, q db.Queryer, where string, args ...any) ([]Responder, error) {
	var out []Responder
	err := responderEach(ctx, q, "SELECT "+responderColumns+responderFrom+" "+where+" ORDER BY p.name_key, r.id", args,
		func(scan func(...any) error) error {
			r, err := responderScan(scan)
			out = append(out, r)
			return err
		})
	return out, err
}

// responderRoster reads the responders on call with what ranking them needs (name,
// reachability, languages, channel, zones, hours) and nothing more: it runs on every view
// of a report's page, for the whole roster, in one query of one row per responder.
func responderRoster(ctx context.Context, q db.Queryer) ([]Responder, error) {
	var out []Responder
	err := responderEach(ctx, q, `SELECT r.id, r.person_id, p.given_name, p.family_name, p.phone <> '', p.email <> '',
		COALESCE(c.status, '') = 'revoked', r.languages, r.channel, r.time_zone, r.zips, r.counties, r.hours
		FROM response_responders r JOIN people p ON p.id = r.person_id
		LEFT JOIN consents c ON c.person_id = r.person_id AND c.channel = 'sms'
		WHERE r.on_call = TRUE`, nil, func(scan func(...any) error) error {
		r := Responder{OnCall: true}
		var given, family, langs, zips, counties, hours string
		if err := scan(&r.ID, &r.PersonID, &given, &family, &r.HasPhone, &r.HasEmail, &r.SMSRevoked, &langs, &r.Channel,
			&r.TimeZone, &zips, &counties, &hours); err != nil {
			return err
		}
		r.Name = strings.TrimSpace(given + " " + family)
		r.Languages, r.ZIPs, r.Counties = responderList(langs), responderList(zips), responderList(counties)
		r.Hours = decodeHours(hours)
		out = append(out, r)
		return nil
	})
	return out, err
}

// responderEach runs a query and calls fn for each row.
func responderEach(ctx context.Context, q db.Queryer, query string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("response: query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return fmt.Errorf("response: scan: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("response: rows: %w", err)
	}
	return nil
}

// responderLoad reads one responder.
func responderLoad(ctx context.Context, q db.Queryer, id int64) (Responder, error) {
	list, err := responderQuery(ctx, q, "WHERE r.id = ?", id)
	if err != nil {
		return Responder{}, err
	}
	if len(list) == 0 {
		return Responder{}, errs.NotFound("response_dispatch.responder.not_found")
	}
	return list[0], nil
}

// responderList splits a comma-separated column.
func responderList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// encodeHours writes shifts as the hours column keeps them: "1:1080-1380,6:1320-1440".
func encodeHours(shifts []Shift) string {
	var b strings.Builder
	for i, sh := range shifts {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%d:%d-%d", int(sh.Day), sh.Start, sh.End)
	}
	return b.String()
}

// decodeHours reads the hours column; a malformed range (never written) is skipped.
func decodeHours(s string) []Shift {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]Shift, 0, len(parts))
	for _, p := range parts {
		d, rng, ok1 := strings.Cut(p, ":")
		from, to, ok2 := strings.Cut(rng, "-")
		day, err1 := strconv.Atoi(d)
		start, err2 := strconv.Atoi(from)
		end, err3 := strconv.Atoi(to)
		if !ok1 || !ok2 || err1 != nil || err2 != nil || err3 != nil || day < 0 || day > 6 {
			continue
		}
		out = append(out, Shift{Day: time.Weekday(day), Start: start, End: end})
	}
	return out
}
