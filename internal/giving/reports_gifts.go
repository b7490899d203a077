package giving

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Methods are every payment method, in the order lists show them.
var Methods = []Method{MethodCard, MethodCash, MethodCheck, MethodBankTransfer, MethodOther}

// GiftQuery filters the gift list, the export and a person's gifts. From and To are days
// (To included); zero values do not filter.
type GiftQuery struct {
	From, To time.Time
	Method   Method
	FundID   int64
	PageID   int64
	PersonID int64
	// After is the cursor of the page to show (GiftPage.Next); "" is the first page.
	After string
	// Limit is the page size: 1 to 200; 0 means 50.
	Limit int
}

// GiftRow is one gift as lists and the gift's page show it.
type GiftRow struct {
	ID            int64
	PersonID      int64
	PageID        int64
	FundID        int64
	RecurringID   int64
	TierID        int64
	ReceivedAt    time.Time
	AmountCents   int64
	RefundedCents int64
	Currency      string
	Method        Method
	Status        GiftStatus
	Reference     string
	ReceiptNumber int64
	DonorName     string
	DonorEmail    string
	Language      string
	RecordedBy    string
	FundCode      string
	FundEn        string
	FundEs        string
	PageTitleEn   string
	PageTitleEs   string
	StripePayment string // the payment intent, or the charge
	CreatedAt     time.Time
}

// Amount, Refunded and Net are the gift's amounts, formatted.
func (g GiftRow) Amount() string   { return FormatAmount(g.AmountCents, g.Currency) }
func (g GiftRow) Refunded() string { return FormatAmount(g.RefundedCents, g.Currency) }
func (g GiftRow) Net() string      { return FormatAmount(g.AmountCents-g.RefundedCents, g.Currency) }

// Left is what can still be refunded, in cents.
func (g GiftRow) Left() int64 { return g.AmountCents - g.RefundedCents }

// LeftAmount is what can still be refunded, formatted.
func (g GiftRow) LeftAmount() string { return FormatAmount(g.Left(), g.Currency) }

// Fund returns the fund's name in lang, or "".
func (g GiftRow) Fund(lang string) string {
	if lang == "es" && g.FundEs != "" {
		return g.FundEs
	}
	return g.FundEn
}

// Page returns the donation page's title in lang, or "".
func (g GiftRow) Page(lang string) string {
	if lang == "es" && g.PageTitleEs != "" {
		return g.PageTitleEs
	}
	return g.PageTitleEn
}

// GiftPage is one page of the gift list, with the count and totals of everything the
// filter matches.
type GiftPage struct {
	Gifts  []GiftRow
	Next   string // cursor of the next page, "" on the last
	Count  int
	Totals []Totals // one per currency
}

// giftColumns are the columns scanGift reads, from giving_gifts g with its fund f and page p.
const giftColumns = `g.id, g.person_id, g.page_id, g.fund_id, g.recurring_id, g.tier_id, g.received_at, g.amount_cents,
	g.refunded_cents, g.currency, g.method, g.status, g.reference, g.receipt_number, g.donor_name, g.donor_email, g.language,
	g.recorded_by, COALESCE(f.code, ''), COALESCE(f.name_en, ''), COALESCE(f.name_es, ''), COALESCE(p.title_en, ''),
	COALESCE(p.title_es, ''), COALESCE(g.stripe_payment_intent, g.stripe_charge, ''), g.created_at`

const giftJoins = ` FROM giving_gifts g LEFT JOIN giving_funds f ON f.id = g.fund_id LEFT JOIN giving_pages p ON p.id = g.page_id`

func scanGift(scan func(...any) error) (GiftRow, error) {
	var g GiftRow
	var person, page, fund, recurring, tier, number sql.NullInt64
	var method, status string
	err := scan(&g.ID, &person, &page, &fund, &recurring, &tier, &g.ReceivedAt, &g.AmountCents, &g.RefundedCents, &g.Currency,
		&method, &status, &g.Reference, &number, &g.DonorName, &g.DonorEmail, &g.Language, &g.RecordedBy, &g.FundCode,
		&g.FundEn, &g.FundEs, &g.PageTitleEn, &g.PageTitleEs, &g.StripePayment, &g.CreatedAt)
	g.PersonID, g.PageID, g.FundID, g.RecurringID, g.TierID, g.ReceiptNumber = person.Int64, page.Int64, fund.Int64, recurring.Int64, tier.Int64, number.Int64
	g.Method, g.Status = Method(method), GiftStatus(status)
	return g, err
}

// where turns the query's filters into SQL conditions and their arguments.
func (q GiftQuery) where() (string, []any) {
	var conds []string
	var args []any
	if !q.From.IsZero() {
		conds, args = append(conds, "g.received_at >= ?"), append(args, dayStart(q.From))
	}
	if !q.To.IsZero() {
		conds, args = append(conds, "g.received_at < ?"), append(args, dayStart(q.To).AddDate(0, 0, 1))
	}
	if q.Method != "" {
		conds, args = append(conds, "g.method = ?"), append(args, string(q.Method))
	}
	if q.FundID != 0 {
		conds, args = append(conds, "g.fund_id = ?"), append(args, q.FundID)
	}
	if q.PageID != 0 {
		conds, args = append(conds, "g.page_id = ?"), append(args, q.PageID)
	}
	if q.PersonID != 0 {
		conds, args = append(conds, "g.person_id = ?"), append(args, q.PersonID)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Validate reports a filter that cannot be applied.
func (q *GiftQuery) Validate() error {
	var l errs.List
	if q.Method != "" && !slices.Contains(Methods, q.Method) {
		l.Add("method", "giving.report.filter_invalid")
	}
	if q.FundID < 0 || q.PageID < 0 || q.PersonID < 0 {
		l.Add("fund", "giving.report.filter_invalid")
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		l.Add("from", "giving.report.range_invalid")
	}
	switch {
	case q.Limit <= 0:
		q.Limit = 50
	case q.Limit > 200:
		q.Limit = 200
	}
	return l.Err()
}

// Gifts lists gifts newest first, a page at a time, with the count and totals of all that
// match. It needs giving.read.
func (s *Service) Gifts(ctx context.Context, actor auth.Actor, q GiftQuery) (GiftPage, error) {
	if err := actor.Require(auth.PermGivingRead); err != nil {
		return GiftPage{}, err
	}
	if err := q.Validate(); err != nil {
		return GiftPage{}, err
	}
	where, args := q.where()
	var page GiftPage
	var err error
	if page.Totals, page.Count, err = totalsOf(ctx, s.db, " FROM giving_gifts g"+where, args); err != nil {
		return GiftPage{}, err
	}
	list := "SELECT " + giftColumns + giftJoins + where
	listArgs := slices.Clone(args)
	if q.After != "" {
		at, id, ok := parseGiftCursor(q.After)
		if !ok {
			return GiftPage{}, errs.Invalid("after", "giving.report.cursor_invalid")
		}
		if where == "" {
			list += " WHERE "
		} else {
			list += " AND "
		}
		list += "(g.received_at < ? OR (g.received_at = ? AND g.id < ?))"
		listArgs = append(listArgs, at, at, id)
	}
	list += " ORDER BY g.received_at DESC, g.id DESC LIMIT ?"
	listArgs = append(listArgs, q.Limit+1)
	rows, err := s.db.QueryContext(ctx, list, listArgs...)
	if err != nil {
		return GiftPage{}, errs.Internal(fmt.Errorf("giving: list gifts: %w", err))
	}
	defer rows.Close()
	for rows.Next() {
		g, err := scanGift(rows.Scan)
		if err != nil {
			return GiftPage{}, errs.Internal(fmt.Errorf("giving: read gift: %w", err))
		}
		page.Gifts = append(page.Gifts, g)
	}
	if err := rows.Err(); err != nil {
		return GiftPage{}, errs.Internal(err)
	}
	if len(page.Gifts) > q.Limit {
		page.Gifts = page.Gifts[:q.Limit]
		last := page.Gifts[q.Limit-1]
		page.Next = giftCursor(last.ReceivedAt, last.ID)
	}
	return page, nil
}

// GiftByID returns one gift. It needs giving.read.
func (s *Service) GiftByID(ctx context.Context, actor auth.Actor, id int64) (GiftRow, error) {
	if err := actor.Require(auth.PermGivingRead); err != nil {
		return GiftRow{}, err
	}
	g, err := scanGift(s.db.QueryRowContext(ctx, "SELECT "+giftColumns+giftJoins+" WHERE g.id = ?", id).Scan)
	return g, db.Translate(err, "giving.gift.not_found", "")
}

// giftCursor and parseGiftCursor write and read the position after a gift in the list.
func giftCursor(at time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.UTC().UnixMicro(), 10) + "." + strconv.FormatInt(id, 10)))
}

func parseGiftCursor(c string) (time.Time, int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, 0, false
	}
	micro, id, ok := strings.Cut(string(b), ".")
	m, err1 := strconv.ParseInt(micro, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || n <= 0 {
		return time.Time{}, 0, false
	}
	return time.UnixMicro(m).UTC(), n, true
}

// dayStart is midnight UTC of t's day.
func dayStart(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateOrEmpty writes a day as YYYY-MM-DD, or "" for the zero time.
func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// FilterOptions are the choices of the gift filters: every fund and donation page.
type FilterOptions struct {
	Funds []Fund
	Pages []PageOption
}

// PageOption is a donation page as a filter offers it.
type PageOption struct {
	ID      int64
	TitleEn string
	TitleEs string
}

// Title returns the page's title in lang.
func (p PageOption) Title(lang string) string {
	if lang == "es" && p.TitleEs != "" {
		return p.TitleEs
	}
	return p.TitleEn
}

// GiftFilterOptions lists the funds and pages the gift filters offer. It needs giving.read.
func (s *Service) GiftFilterOptions(ctx context.Context, actor auth.Actor) (FilterOptions, error) {
	funds, err := s.Funds(ctx, actor, false)
	if err != nil {
		return FilterOptions{}, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id, title_en, title_es FROM giving_pages ORDER BY title_en, id")
	if err != nil {
		return FilterOptions{}, errs.Internal(fmt.Errorf("giving: page options: %w", err))
	}
	defer rows.Close()
	o := FilterOptions{Funds: funds}
	for rows.Next() {
		var p PageOption
		if err := rows.Scan(&p.ID, &p.TitleEn, &p.TitleEs); err != nil {
			return FilterOptions{}, errs.Internal(err)
		}
		o.Pages = append(o.Pages, p)
	}
	return o, coded(rows.Err())
}

// PersonGiving is what one person gave, for their gifts page: totals per year (newest
// first) and their gifts, newest first.
type PersonGiving struct {
	PersonID  int64
	DonorName string
	Years     []YearTotals
	Gifts     []GiftRow
	More      bool // more gifts than the page lists
}

// YearTotals are one year's totals of a person, per currency.
type YearTotals struct {
	Year   int
	Totals []Totals
}

// personGiftsShown is how many gifts a person's page lists.
const personGiftsShown = 200

// PersonGifts returns what a person gave. A person with no gift is an empty result, not an
// error. It needs giving.read.
func (s *Service) PersonGifts(ctx context.Context, actor auth.Actor, personID int64) (PersonGiving, error) {
	page, err := s.Gifts(ctx, actor, GiftQuery{PersonID: personID, Limit: personGiftsShown})
	if err != nil {
		return PersonGiving{}, err
	}
	pg := PersonGiving{PersonID: personID, Gifts: page.Gifts, More: page.Next != ""}
	if len(page.Gifts) > 0 {
		pg.DonorName = page.Gifts[0].DonorName
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+s.db.Dialect().Year("g.received_at")+` AS y, g.currency, COUNT(*),
		COALESCE(SUM(g.amount_cents), 0), COALESCE(SUM(g.refunded_cents), 0) FROM giving_gifts g WHERE g.person_id = ?
		GROUP BY y, g.currency ORDER BY y DESC, g.currency`, personID)
	if err != nil {
		return PersonGiving{}, errs.Internal(fmt.Errorf("giving: person years: %w", err))
	}
	defer rows.Close()
	for rows.Next() {
		var year string
		var t Totals
		if err := rows.Scan(&year, &t.Currency, &t.Count, &t.GrossCents, &t.RefundedCents); err != nil {
			return PersonGiving{}, errs.Internal(err)
		}
		y, _ := strconv.Atoi(year)
		if n := len(pg.Years); n == 0 || pg.Years[n-1].Year != y {
			pg.Years = append(pg.Years, YearTotals{Year: y})
		}
		pg.Years[len(pg.Years)-1].Totals = append(pg.Years[len(pg.Years)-1].Totals, t)
	}
	return pg, coded(rows.Err())
}

// StatementYears are the years a statement can be asked for, newest first.
func (s *Service) StatementYears() []int {
	var out []int
	for y := s.db.Now().Year(); y >= max(firstYear, s.db.Now().Year()-9); y-- {
		out = append(out, y)
	}
	return out
}
