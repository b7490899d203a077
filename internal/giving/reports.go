package giving

import (
	"context"
	"fmt"
	"slices"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Grouping is the time unit a report's totals are bucketed by.
type Grouping string

// The groupings.
const (
	ByDay   Grouping = "day"
	ByMonth Grouping = "month"
	ByYear  Grouping = "year"
)

// maxDays is the longest range a report by day covers.
const maxDays = 366

// Totals are the sums of a set of gifts in one currency. Gross counts every gift as
// received; Refunded what went back; Net is what the network kept.
type Totals struct {
	Currency      string
	Count         int
	GrossCents    int64
	RefundedCents int64
}

// NetCents is what was kept.
func (t Totals) NetCents() int64 { return t.GrossCents - t.RefundedCents }

// Gross, Refunded and Net are the sums, formatted.
func (t Totals) Gross() string    { return FormatAmount(t.GrossCents, t.Currency) }
func (t Totals) Refunded() string { return FormatAmount(t.RefundedCents, t.Currency) }
func (t Totals) Net() string      { return FormatAmount(t.NetCents(), t.Currency) }

// ReportQuery says what a report covers: the days From to To (both included), bucketed by
// Group, in one Currency (amounts in different currencies are never added up). Zero values
// take the defaults: the last twelve months by month, in the most used currency.
type ReportQuery struct {
	From, To time.Time
	Group    Grouping
	Currency string
}

// Report is the donor report of a period.
type Report struct {
	Query      ReportQuery // as applied, defaults filled in
	Currencies []string    // every currency gifts were received in, to choose from
	Total      Totals
	Series     []Bucket // every bucket of the period, empty ones included
	ByPage     []Line
	ByFund     []Line
	ByMethod   []Line
	MRR        MRR
	Donors     DonorFlow
}

// Bucket is the totals of one day, month or year.
type Bucket struct {
	Key   string    // "2026-03-05", "2026-03" or "2026", as the database groups
	Start time.Time // its first day
	Totals
}

// Line is the totals of one page, fund or method. ID is 0 for gifts with none.
type Line struct {
	ID     int64
	Key    string // the fund's code or the method
	NameEn string
	NameEs string
	Totals
}

// Name returns the line's name in lang ("" for gifts with no page or fund).
func (l Line) Name(lang string) string {
	if lang == "es" && l.NameEs != "" {
		return l.NameEs
	}
	return l.NameEn
}

// MRR is monthly recurring revenue: every recurring gift that was running at a moment,
// its amount brought to a month (yearly dues count a twelfth), in one currency. Amount
// changes are not dated, so past values use today's amounts.
type MRR struct {
	At            time.Time
	Cents         int64
	Count         int
	PreviousAt    time.Time // one month before At
	PreviousCents int64
	Currency      string
}

// ChangeCents is the change since the previous month.
func (m MRR) ChangeCents() int64 { return m.Cents - m.PreviousCents }

// Amount, Previous and Change are the figures, formatted (Change with its sign).
func (m MRR) Amount() string   { return FormatAmount(m.Cents, m.Currency) }
func (m MRR) Previous() string { return FormatAmount(m.PreviousCents, m.Currency) }
func (m MRR) Change() string {
	if c := m.ChangeCents(); c > 0 {
		return "+" + FormatAmount(c, m.Currency)
	}
	return FormatAmount(m.ChangeCents(), m.Currency)
}

// DonorFlow counts donors (people, not anonymous gifts; fully refunded gifts left out)
// between a period and the period of the same length just before it:
//   - New gave in the period for the first time ever.
//   - Retained gave in the period and in the previous one.
//   - Returning gave in the period, not in the previous one, but some time before.
//   - Lapsed gave in the previous period but not in this one.
type DonorFlow struct {
	From, To                 time.Time // the period (To included)
	PreviousFrom, PreviousTo time.Time
	New, Retained, Returning int
	Lapsed                   int
}

// normalize fills the defaults and checks the query against today.
func (q *ReportQuery) normalize(today time.Time, currencies []string) error {
	today = dayStart(today)
	var l errs.List
	if q.Group == "" {
		q.Group = ByMonth
	}
	if !slices.Contains([]Grouping{ByDay, ByMonth, ByYear}, q.Group) {
		l.Add("group", "giving.report.group_invalid")
	}
	if q.To.IsZero() {
		q.To = today
	}
	q.To = dayStart(q.To)
	if q.From.IsZero() {
		q.From = time.Date(q.To.Year(), q.To.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -11, 0)
		if q.Group == ByDay {
			q.From = q.To.AddDate(0, 0, -29)
		}
	}
	q.From = dayStart(q.From)
	switch {
	case q.To.Before(q.From):
		l.Add("from", "giving.report.range_invalid")
	case q.Group == ByDay && q.To.Sub(q.From) >= maxDays*24*time.Hour:
		l.Add("group", "giving.report.range_too_long")
	case q.From.Year() < firstYear || q.To.Year() > today.Year()+1:
		l.Add("from", "giving.report.date_invalid")
	}
	if q.Currency == "" {
		q.Currency = "usd"
		if len(currencies) > 0 {
			q.Currency = currencies[0]
		}
	}
	if len(currencies) > 0 && !slices.Contains(currencies, q.Currency) {
		l.Add("currency", "giving.report.currency_invalid")
	}
	return l.Err()
}

// Report builds the donor report of a period. It needs giving.read.
func (s *Service) Report(ctx context.Context, actor auth.Actor, q ReportQuery) (Report, error) {
	if err := actor.Require(auth.PermGivingRead); err != nil {
		return Report{}, err
	}
	currencies, err := s.currencies(ctx)
	if err != nil {
		return Report{}, err
	}
	if err := q.normalize(s.db.Now(), currencies); err != nil {
		return Report{Query: q, Currencies: currencies}, err
	}
	r := Report{Query: q, Currencies: currencies}
	from, until := q.From, q.To.AddDate(0, 0, 1)
	period := " FROM giving_gifts g WHERE g.received_at >= ? AND g.received_at < ? AND g.currency = ?"
	args := []any{from, until, q.Currency}
	totals, _, err := totalsOf(ctx, s.db, period, args)
	if err != nil {
		return Report{}, err
	}
	r.Total = Totals{Currency: q.Currency}
	if len(totals) == 1 {
		r.Total = totals[0]
	}
	if r.Series, err = s.series(ctx, q); err != nil {
		return Report{}, err
	}
	if r.ByPage, err = lines(ctx, s.db, "g.page_id, '', COALESCE(p.title_en, ''), COALESCE(p.title_es, '')",
		" LEFT JOIN giving_pages p ON p.id = g.page_id", "g.page_id, p.title_en, p.title_es", from, until, q.Currency); err != nil {
		return Report{}, err
	}
	if r.ByFund, err = lines(ctx, s.db, "g.fund_id, COALESCE(f.code, ''), COALESCE(f.name_en, ''), COALESCE(f.name_es, '')",
		" LEFT JOIN giving_funds f ON f.id = g.fund_id", "g.fund_id, f.code, f.name_en, f.name_es", from, until, q.Currency); err != nil {
		return Report{}, err
	}
	if r.ByMethod, err = lines(ctx, s.db, "0, g.method, '', ''", "", "g.method", from, until, q.Currency); err != nil {
		return Report{}, err
	}
	at := until
	if now := s.db.Now(); now.Before(at) {
		at = now
	}
	if r.MRR, err = s.mrr(ctx, q.Currency, at); err != nil {
		return Report{}, err
	}
	if r.Donors, err = s.donorFlow(ctx, from, until); err != nil {
		return Report{}, err
	}
	return r, nil
}

// currencies lists the currencies gifts were received in, the most used first.
func (s *Service) currencies(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT currency FROM giving_gifts GROUP BY currency ORDER BY COUNT(*) DESC, currency")
	if err != nil {
		return nil, errs.Internal(fmt.Errorf("giving: currencies: %w", err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, errs.Internal(err)
		}
		out = append(out, c)
	}
	return out, coded(rows.Err())
}

// totalsOf sums the gifts that from (a FROM … WHERE clause over giving_gifts g) selects,
// per currency, and counts them all.
func totalsOf(ctx context.Context, q db.Queryer, from string, args []any) ([]Totals, int, error) {
	rows, err := q.QueryContext(ctx, "SELECT g.currency, COUNT(*), COALESCE(SUM(g.amount_cents), 0), COALESCE(SUM(g.refunded_cents), 0)"+
		from+" GROUP BY g.currency ORDER BY COUNT(*) DESC, g.currency", args...)
	if err != nil {
		return nil, 0, errs.Internal(fmt.Errorf("giving: totals: %w", err))
	}
	defer rows.Close()
	var out []Totals
	var count int
	for rows.Next() {
		var t Totals
		if err := rows.Scan(&t.Currency, &t.Count, &t.GrossCents, &t.RefundedCents); err != nil {
			return nil, 0, errs.Internal(fmt.Errorf("giving: read totals: %w", err))
		}
		count += t.Count
		out = append(out, t)
	}
	return out, count, coded(rows.Err())
}

// bucketExpr is the SQL that groups received_at by g in the database's dialect.
func bucketExpr(d db.Dialect, g Grouping) string {
	switch g {
	case ByDay:
		return d.Day("g.received_at")
	case ByYear:
		return d.Year("g.received_at")
	default:
		return d.Month("g.received_at")
	}
}

// bucketKey is the key bucketExpr gives the bucket that starts at t.
func bucketKey(g Grouping, t time.Time) string {
	switch g {
	case ByDay:
		return t.Format("2006-01-02")
	case ByYear:
		return t.Format("2006")
	default:
		return t.Format("2006-01")
	}
}

// nextBucket is the start of the bucket after the one that starts at t.
func nextBucket(g Grouping, t time.Time) time.Time {
	switch g {
	case ByDay:
		return t.AddDate(0, 0, 1)
	case ByYear:
		return t.AddDate(1, 0, 0)
	default:
		return t.AddDate(0, 1, 0)
	}
}

// firstBucket is the start of the bucket that holds day t.
func firstBucket(g Grouping, t time.Time) time.Time {
	switch g {
	case ByDay:
		return t
	case ByYear:
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	default:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
}

// series is the totals of every bucket of the period, in order, the empty ones included
// so that a chart shows the gaps.
func (s *Service) series(ctx context.Context, q ReportQuery) ([]Bucket, error) {
	b := bucketExpr(s.db.Dialect(), q.Group)
	rows, err := s.db.QueryContext(ctx, "SELECT "+b+" AS bucket, COUNT(*), COALESCE(SUM(g.amount_cents), 0), COALESCE(SUM(g.refunded_cents), 0)"+
		" FROM giving_gifts g WHERE g.received_at >= ? AND g.received_at < ? AND g.currency = ? GROUP BY bucket ORDER BY bucket",
		q.From, q.To.AddDate(0, 0, 1), q.Currency)
	if err != nil {
		return nil, errs.Internal(fmt.Errorf("giving: series: %w", err))
	}
	defer rows.Close()
	found := map[string]Totals{}
	for rows.Next() {
		var key string
		t := Totals{Currency: q.Currency}
		if err := rows.Scan(&key, &t.Count, &t.GrossCents, &t.RefundedCents); err != nil {
			return nil, errs.Internal(fmt.Errorf("giving: read series: %w", err))
		}
		found[key] = t
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Internal(err)
	}
	var out []Bucket
	for at := firstBucket(q.Group, q.From); !at.After(q.To); at = nextBucket(q.Group, at) {
		key := bucketKey(q.Group, at)
		t, ok := found[key]
		if !ok {
			t = Totals{Currency: q.Currency}
		}
		out = append(out, Bucket{Key: key, Start: at, Totals: t})
	}
	return out, nil
}

// lines sums the period's gifts by a page, fund or method: cols selects id, key and the
// two names; join and group complete the query. Largest net first.
func lines(ctx context.Context, q db.Queryer, cols, join, group string, from, until time.Time, currency string) ([]Line, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+cols+", COUNT(*), COALESCE(SUM(g.amount_cents), 0), COALESCE(SUM(g.refunded_cents), 0)"+
		" FROM giving_gifts g"+join+" WHERE g.received_at >= ? AND g.received_at < ? AND g.currency = ? GROUP BY "+group+
		" ORDER BY COALESCE(SUM(g.amount_cents), 0) - COALESCE(SUM(g.refunded_cents), 0) DESC", from, until, currency)
	if err != nil {
		return nil, errs.Internal(fmt.Errorf("giving: report lines: %w", err))
	}
	defer rows.Close()
	var out []Line
	for rows.Next() {
		var l Line
		var id *int64
		l.Currency = currency
		if err := rows.Scan(&id, &l.Key, &l.NameEn, &l.NameEs, &l.Count, &l.GrossCents, &l.RefundedCents); err != nil {
			return nil, errs.Internal(fmt.Errorf("giving: read report line: %w", err))
		}
		if id != nil {
			l.ID = *id
		}
		out = append(out, l)
	}
	return out, coded(rows.Err())
}

// mrr computes monthly recurring revenue at a moment and one month before it.
func (s *Service) mrr(ctx context.Context, currency string, at time.Time) (MRR, error) {
	m := MRR{At: at, PreviousAt: at.AddDate(0, -1, 0), Currency: currency}
	var err error
	if m.Cents, m.Count, err = s.mrrAt(ctx, currency, m.At); err != nil {
		return MRR{}, err
	}
	if m.PreviousCents, _, err = s.mrrAt(ctx, currency, m.PreviousAt); err != nil {
		return MRR{}, err
	}
	return m, nil
}

// mrrAt sums the recurring gifts running at a moment: started by then, and not cancelled
// or lapsed by then (nor pending: those never started). Sums are kept in twelfths of a
// cent, whole numbers, and rounded once.
func (s *Service) mrrAt(ctx context.Context, currency string, at time.Time) (int64, int, error) {
	var twelfths int64
	var count int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN billing_interval = 'year' THEN amount_cents ELSE amount_cents * 12 END), 0),
		COUNT(*) FROM giving_recurring
		WHERE currency = ? AND status <> 'pending' AND started_at <= ?
		AND (cancelled_at IS NULL OR cancelled_at > ?) AND (lapsed_at IS NULL OR lapsed_at > ?)
		AND NOT (status IN ('cancelled', 'lapsed') AND cancelled_at IS NULL AND lapsed_at IS NULL)`,
		currency, at, at, at).Scan(&twelfths, &count)
	if err != nil {
		return 0, 0, errs.Internal(fmt.Errorf("giving: mrr: %w", err))
	}
	return (twelfths + 6) / 12, count, nil
}

// donorFlow counts new, retained, returning and lapsed donors of [from, until) against the
// period of the same length before it.
func (s *Service) donorFlow(ctx context.Context, from, until time.Time) (DonorFlow, error) {
	length := until.Sub(from)
	prev := from.Add(-length)
	f := DonorFlow{From: from, To: until.AddDate(0, 0, -1), PreviousFrom: prev, PreviousTo: from.AddDate(0, 0, -1)}
	err := s.db.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN cur = 1 AND earlier = 0 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN cur = 1 AND prev = 1 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN cur = 1 AND prev = 0 AND earlier = 1 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN cur = 0 AND prev = 1 THEN 1 ELSE 0 END), 0)
		FROM (SELECT g.person_id,
			MAX(CASE WHEN g.received_at >= ? THEN 1 ELSE 0 END) AS cur,
			MAX(CASE WHEN g.received_at >= ? AND g.received_at < ? THEN 1 ELSE 0 END) AS prev,
			MAX(CASE WHEN g.received_at < ? THEN 1 ELSE 0 END) AS earlier
			FROM giving_gifts g WHERE g.person_id IS NOT NULL AND g.status <> 'refunded' AND g.received_at < ?
			GROUP BY g.person_id) donors`,
		from, prev, from, from, until).Scan(&f.New, &f.Retained, &f.Returning, &f.Lapsed)
	if err != nil {
		return DonorFlow{}, errs.Internal(fmt.Errorf("giving: donor flow: %w", err))
	}
	return f, nil
}

// Summary is the giving staff home: this month's and this year's totals, MRR and the
// latest gifts.
type Summary struct {
	Month, Year []Totals // per currency
	MonthStart  time.Time
	YearStart   time.Time
	MRR         MRR
	Recent      []GiftRow
	// SetUp is false while receipts carry no legal name: the home says so.
	SetUp bool
}

// Summary builds the giving staff home. It needs giving.read.
func (s *Service) Summary(ctx context.Context, actor auth.Actor) (Summary, error) {
	if err := actor.Require(auth.PermGivingRead); err != nil {
		return Summary{}, err
	}
	now := s.db.Now()
	sm := Summary{MonthStart: time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC), YearStart: time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC)}
	var err error
	since := " FROM giving_gifts g WHERE g.received_at >= ?"
	if sm.Month, _, err = totalsOf(ctx, s.db, since, []any{sm.MonthStart}); err != nil {
		return Summary{}, err
	}
	if sm.Year, _, err = totalsOf(ctx, s.db, since, []any{sm.YearStart}); err != nil {
		return Summary{}, err
	}
	currency := "usd"
	if cs, err := s.currencies(ctx); err != nil {
		return Summary{}, err
	} else if len(cs) > 0 {
		currency = cs[0]
	}
	if sm.MRR, err = s.mrr(ctx, currency, now); err != nil {
		return Summary{}, err
	}
	recent, err := s.Gifts(ctx, actor, GiftQuery{Limit: 10})
	if err != nil {
		return Summary{}, err
	}
	sm.Recent = recent.Gifts
	st, err := loadSettings(ctx, s.db)
	if err != nil {
		return Summary{}, coded(err)
	}
	sm.SetUp = st.LegalName != ""
	return sm, nil
}
