package giving

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Frequency is how often a donation page lets people give.
type Frequency string

// The frequencies a page offers.
const (
	FrequencyOnce    Frequency = "once"
	FrequencyMonthly Frequency = "monthly"
	FrequencyBoth    Frequency = "both"
)

// The bounds of a gift made through a page, in cents: at least $1 (card fees make less
// pointless) and at most $100,000 (more is a conversation, not a form).
const (
	MinAmountCents int64 = 100
	MaxAmountCents int64 = 10_000_000
)

// Currencies are those a page may take: all have two decimals, as amounts in cents assume.
var Currencies = []string{"usd", "cad", "mxn", "eur", "gbp"}

// Limits on what a page holds.
const (
	maxTitle      = 200
	maxStory      = 10_000
	maxThanks     = 2_000
	maxSuggested  = 8
	maxSlug       = 60
	maxDonorName  = 100
	maxDonorEmail = 254
)

// reservedSlugs are the words of the /give/ addresses that are not pages.
var reservedSlugs = []string{"dues", "manage", "thanks", "new"}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Page is a donation page organizers make: its words in both languages, the amounts it
// suggests, and what it raises for.
type Page struct {
	ID       int64
	Slug     string // the address: /give/<slug>
	TitleEn  string
	TitleEs  string
	StoryEn  string
	StoryEs  string
	ThanksEn string // shown after a gift
	ThanksEs string
	// Amounts are the suggested amounts in cents, smallest first.
	Amounts     []int64
	AllowCustom bool
	Currency    string // lower-case ISO 4217
	Frequency   Frequency
	GoalCents   int64 // 0: no goal
	FundID      int64 // 0: no designation
	Published   bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Title returns the page's title in lang, falling back to English.
func (p Page) Title(lang string) string { return pick(lang, p.TitleEn, p.TitleEs) }

// Story returns the page's story in lang.
func (p Page) Story(lang string) string { return pick(lang, p.StoryEn, p.StoryEs) }

// Thanks returns the page's thank-you message in lang.
func (p Page) Thanks(lang string) string { return pick(lang, p.ThanksEn, p.ThanksEs) }

// Offers reports whether the page takes gifts of frequency f ("once" or "monthly").
func (p Page) Offers(f Frequency) bool { return p.Frequency == FrequencyBoth || p.Frequency == f }

func pick(lang, en, es string) string {
	if lang == "es" && strings.TrimSpace(es) != "" {
		return es
	}
	return en
}

// Validate cleans the page in place and reports every problem as a field error.
func (p *Page) Validate() error {
	var l errs.List
	p.Slug = strings.ToLower(strings.TrimSpace(p.Slug))
	switch {
	case p.Slug == "":
		l.Add("slug", "giving.page.slug_required")
	case len(p.Slug) > maxSlug || !slugPattern.MatchString(p.Slug):
		l.Add("slug", "giving.page.slug_invalid")
	case slices.Contains(reservedSlugs, p.Slug):
		l.Add("slug", "giving.page.slug_reserved")
	}
	text := func(field string, v *string, max int, required bool) {
		*v = strings.TrimSpace(strings.ReplaceAll(*v, "\r\n", "\n"))
		switch {
		case required && *v == "":
			l.Add(field, "giving.page.required")
		case !utf8.ValidString(*v) || strings.ContainsRune(*v, 0):
			l.Add(field, "giving.page.text_invalid")
		case utf8.RuneCountInString(*v) > max:
			l.Add(field, "giving.page.too_long")
		}
	}
	text("title_en", &p.TitleEn, maxTitle, true)
	text("title_es", &p.TitleEs, maxTitle, true)
	text("story_en", &p.StoryEn, maxStory, false)
	text("story_es", &p.StoryEs, maxStory, false)
	text("thanks_en", &p.ThanksEn, maxThanks, false)
	text("thanks_es", &p.ThanksEs, maxThanks, false)
	if strings.ContainsAny(p.TitleEn+p.TitleEs, "\n") {
		l.Add("title_en", "giving.page.text_invalid")
	}
	p.Currency = strings.ToLower(strings.TrimSpace(p.Currency))
	if p.Currency == "" {
		p.Currency = "usd"
	}
	if !slices.Contains(Currencies, p.Currency) {
		l.Add("currency", "giving.page.currency_invalid")
	}
	switch p.Frequency {
	case FrequencyOnce, FrequencyMonthly, FrequencyBoth:
	case "":
		p.Frequency = FrequencyBoth
	default:
		l.Add("frequency", "giving.page.frequency_invalid")
	}
	slices.Sort(p.Amounts)
	p.Amounts = slices.Compact(p.Amounts)
	switch {
	case len(p.Amounts) > maxSuggested:
		l.Add("amounts", "giving.page.amounts_too_many")
	case len(p.Amounts) == 0 && !p.AllowCustom:
		l.Add("amounts", "giving.page.amounts_none")
	}
	for _, a := range p.Amounts {
		if a < MinAmountCents || a > MaxAmountCents {
			l.Add("amounts", "giving.page.amounts_bounds")
			break
		}
	}
	if p.GoalCents < 0 || p.GoalCents > 100*MaxAmountCents {
		l.Add("goal", "giving.page.goal_invalid")
	}
	if p.FundID < 0 {
		p.FundID = 0
	}
	return l.Err()
}

// ParseAmount reads an amount as people type it ("25", "25.50", "$1,000", "12,50") into
// cents. ok is false for anything that is not a positive amount with at most two decimals.
func ParseAmount(s string) (int64, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "$"))
	if s == "" {
		return 0, false
	}
	// "12,50" is how much of Latin America writes 12.50; "1,000" is a thousand.
	if i := strings.LastIndexByte(s, ','); i >= 0 && !strings.Contains(s, ".") && len(s)-i-1 <= 2 {
		s = s[:i] + "." + s[i+1:]
	}
	s = strings.ReplaceAll(s, ",", "")
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if dot && (len(frac) == 0 || len(frac) > 2) || len(whole) > 10 {
		return 0, false
	}
	for _, part := range []string{whole, frac} {
		if strings.Trim(part, "0123456789") != "" {
			return 0, false
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	cents := w * 100
	if frac != "" {
		f, _ := strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
		cents += f
	}
	return cents, cents > 0
}

// PageSummary is one page in the staff list, with what it raised.
type PageSummary struct {
	Page
	RaisedCents int64
	Gifts       int
}

// Progress is how far a page is toward its goal.
type Progress struct {
	RaisedCents int64
	GoalCents   int64
	Percent     int // 0–100, for the bar; the text says the amounts
}

// progressOf returns the progress of raised toward goal.
func progressOf(raised, goal int64) Progress {
	p := Progress{RaisedCents: raised, GoalCents: goal}
	if goal > 0 {
		p.Percent = int(min(100, max(0, raised*100/goal)))
	}
	return p
}

const pageColumns = `p.id, p.slug, p.title_en, p.title_es, p.story_en, p.story_es, p.thanks_en, p.thanks_es, p.amounts,
	p.allow_custom, p.currency, p.frequency, p.goal_cents, p.fund_id, p.published, p.created_at, p.updated_at`

func scanPage(scan func(...any) error, p *Page) error {
	var amounts string
	var goal, fund sql.NullInt64
	if err := scan(&p.ID, &p.Slug, &p.TitleEn, &p.TitleEs, &p.StoryEn, &p.StoryEs, &p.ThanksEn, &p.ThanksEs, &amounts,
		&p.AllowCustom, &p.Currency, &p.Frequency, &goal, &fund, &p.Published, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return err
	}
	p.GoalCents, p.FundID = goal.Int64, fund.Int64
	p.Amounts = nil
	for _, a := range strings.Split(amounts, ",") {
		if v, err := strconv.ParseInt(strings.TrimSpace(a), 10, 64); err == nil && v > 0 {
			p.Amounts = append(p.Amounts, v)
		}
	}
	return nil
}

func joinAmounts(a []int64) string {
	parts := make([]string, len(a))
	for i, v := range a {
		parts[i] = strconv.FormatInt(v, 10)
	}
	return strings.Join(parts, ",")
}

// SavePage creates a page (id 0) or changes one. Organizers and administrators
// (giving.write); audited.
func (s *Service) SavePage(ctx context.Context, actor auth.Actor, id int64, p Page) (Page, error) {
	if err := actor.Require(auth.PermGivingWrite); err != nil {
		return Page{}, err
	}
	if err := p.Validate(); err != nil {
		return Page{}, err
	}
	err := s.inTx(ctx, func(tx *db.Tx) error {
		if p.FundID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM giving_funds WHERE id = ?", p.FundID).Scan(&n); err != nil {
				return fmt.Errorf("giving: check fund: %w", err)
			}
			if n == 0 {
				return errs.Invalid("fund", "giving.page.fund_unknown")
			}
		}
		args := []any{p.Slug, p.TitleEn, p.TitleEs, p.StoryEn, p.StoryEs, p.ThanksEn, p.ThanksEs, joinAmounts(p.Amounts),
			p.AllowCustom, p.Currency, string(p.Frequency), nullID(p.GoalCents), nullID(p.FundID), p.Published}
		var err error
		action := "giving.page_update"
		if id == 0 {
			action = "giving.page_create"
			id, err = tx.Insert(ctx, `INSERT INTO giving_pages (slug, title_en, title_es, story_en, story_es, thanks_en, thanks_es,
				amounts, allow_custom, currency, frequency, goal_cents, fund_id, published, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, tx.Now, tx.Now)...)
		} else {
			var res sql.Result
			res, err = tx.ExecContext(ctx, `UPDATE giving_pages SET slug = ?, title_en = ?, title_es = ?, story_en = ?, story_es = ?,
				thanks_en = ?, thanks_es = ?, amounts = ?, allow_custom = ?, currency = ?, frequency = ?, goal_cents = ?,
				fund_id = ?, published = ?, updated_at = ? WHERE id = ?`, append(args, tx.Now, id)...)
			if err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					return errs.NotFound("giving.page.not_found")
				}
			}
		}
		if db.IsUnique(err) {
			return &errs.Error{Code: errs.CodeConflict, Field: "slug", Key: "giving.page.slug_taken", Cause: err}
		}
		if err != nil {
			return fmt.Errorf("giving: save page: %w", err)
		}
		return record(ctx, tx, actor, action, pageObject(id), "published="+strconv.FormatBool(p.Published))
	})
	if err != nil {
		return Page{}, err
	}
	return s.pageByID(ctx, s.db, id)
}

func pageObject(id int64) string { return fmt.Sprintf("giving_page:%d", id) }

// Page returns one page for staff (giving.read).
func (s *Service) Page(ctx context.Context, actor auth.Actor, id int64) (Page, error) {
	if err := actor.Require(auth.PermGivingRead); err != nil {
		return Page{}, err
	}
	return s.pageByID(ctx, s.db, id)
}

func (s *Service) pageByID(ctx context.Context, q db.Queryer, id int64) (Page, error) {
	var p Page
	err := scanPage(q.QueryRowContext(ctx, "SELECT "+pageColumns+" FROM giving_pages p WHERE p.id = ?", id).Scan, &p)
	if err != nil {
		return Page{}, coded(db.Translate(err, "giving.page.not_found", ""))
	}
	return p, nil
}

// Pages lists every page for staff (giving.read), newest first, with what each raised.
func (s *Service) Pages(ctx context.Context, actor auth.Actor) ([]PageSummary, error) {
	if err := actor.Require(auth.PermGivingRead); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+pageColumns+`,
		COALESCE((SELECT SUM(g.amount_cents - g.refunded_cents) FROM giving_gifts g WHERE g.page_id = p.id AND g.currency = p.currency), 0),
		(SELECT COUNT(*) FROM giving_gifts g WHERE g.page_id = p.id)
		FROM giving_pages p ORDER BY p.created_at DESC, p.id DESC`)
	if err != nil {
		return nil, coded(fmt.Errorf("giving: list pages: %w", err))
	}
	defer rows.Close()
	var out []PageSummary
	for rows.Next() {
		var ps PageSummary
		if err := scanPage(func(dest ...any) error { return rows.Scan(append(dest, &ps.RaisedCents, &ps.Gifts)...) }, &ps.Page); err != nil {
			return nil, coded(fmt.Errorf("giving: list pages: %w", err))
		}
		out = append(out, ps)
	}
	return out, coded(rows.Err())
}

// PublicPage is a donation page as donors see it.
type PublicPage struct {
	Page
	Progress Progress
	// Preview is true when staff look at a page that is not published yet.
	Preview bool
	// CardGiving is false when the install takes no card gifts: the page says so.
	CardGiving bool
}

// PageBySlug returns a published page with its progress, for the public. Staff with
// giving.read may also preview an unpublished one. Any other slug is not found.
func (s *Service) PageBySlug(ctx context.Context, actor auth.Actor, slug string) (PublicPage, error) {
	slug = strings.ToLower(strings.TrimSpace(slug))
	if slug == "" || len(slug) > maxSlug {
		return PublicPage{}, errs.NotFound("giving.page.not_found")
	}
	var pp PublicPage
	err := scanPage(s.db.QueryRowContext(ctx, "SELECT "+pageColumns+" FROM giving_pages p WHERE p.slug = ?", slug).Scan, &pp.Page)
	if err != nil {
		return PublicPage{}, coded(db.Translate(err, "giving.page.not_found", ""))
	}
	if !pp.Published {
		if !actor.Can(auth.PermGivingRead) {
			return PublicPage{}, errs.NotFound("giving.page.not_found")
		}
		pp.Preview = true
	}
	pp.CardGiving = s.CardGiving()
	if pp.GoalCents > 0 {
		raised, err := s.pageRaised(ctx, pp.ID, pp.Currency)
		if err != nil {
			return PublicPage{}, err
		}
		pp.Progress = progressOf(raised, pp.GoalCents)
	}
	return pp, nil
}

// pageRaised sums what a page raised in its currency, refunds taken off.
func (s *Service) pageRaised(ctx context.Context, pageID int64, currency string) (int64, error) {
	var raised int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount_cents - refunded_cents), 0) FROM giving_gifts
		WHERE page_id = ? AND currency = ?`, pageID, currency).Scan(&raised)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, coded(fmt.Errorf("giving: page total: %w", err))
	}
	return raised, nil
}

// GroupedAmount writes an amount for a page, with its thousands grouped: "$1,000",
// "$100,000", "$12.50", "2,000 EUR".
func GroupedAmount(cents int64, currency string) string {
	s := FormatAmount(cents, currency)
	start := strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' })
	if start < 0 {
		return s
	}
	end := start
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	digits := s[start:end]
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return s[:start] + b.String() + s[end:]
}
