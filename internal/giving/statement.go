package giving

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/i18n"
	"solidarity/internal/people"
)

// Rate limits of the public statement form. A request mails the donor, so the limits
// keep it from being used to flood someone's inbox.
const (
	// StatementClientLimit requests per StatementClientWindow from one client address.
	StatementClientLimit  = 5
	StatementClientWindow = time.Hour
	// StatementEmailLimit requests per StatementEmailWindow for one e-mail address.
	StatementEmailLimit  = 3
	StatementEmailWindow = 24 * time.Hour
	// StatementGlobalLimit requests per StatementGlobalWindow from everyone.
	StatementGlobalLimit  = 120
	StatementGlobalWindow = time.Minute
)

// firstYear is the earliest year a statement can be asked for.
const firstYear = 2000

// Statement is a donor's annual statement: every gift of one year (fully refunded ones
// left out, partly refunded ones at what was kept) and the totals, per currency.
type Statement struct {
	PersonID     int64
	Year         int
	Language     string
	Org          string
	TaxID        string
	TaxStatement string
	DonorName    string
	Gifts        []StatementGift
	Totals       []string // net total per currency, formatted
}

// StatementGift is one line of a statement.
type StatementGift struct {
	ReceivedAt    time.Time
	Number        int64
	Method        Method
	Fund          string
	AmountCents   int64
	RefundedCents int64
	Currency      string
}

// Net is what the donor gave and kept given, formatted.
func (g StatementGift) Net() string { return FormatAmount(g.AmountCents-g.RefundedCents, g.Currency) }

// checkYear refuses a year before firstYear or after this one.
func checkYear(year int, now time.Time) error {
	if year < firstYear || year > now.UTC().Year() {
		return errs.Invalid("year", "giving.statement.year_invalid")
	}
	return nil
}

// RequestStatement is the public form: it mails the annual statement for year to the
// person who has the e-mail address, if there is one and they have ever given. The answer
// is the same whether or not the address is known, so that the form tells nobody who
// gives: only a malformed address or year is an error. Rate limits are the caller's
// (StatementClientLimit and the others).
func (s *Service) RequestStatement(ctx context.Context, email string, year int) error {
	addr, ok := people.NormalizeEmail(email)
	var l errs.List
	if !ok {
		l.Add("email", "giving.statement.email_invalid")
	}
	if err := checkYear(year, s.db.Now()); err != nil {
		l.Add("year", "giving.statement.year_invalid")
	}
	if err := l.Err(); err != nil {
		return err
	}
	person, err := s.personByEmail(ctx, addr)
	if err != nil || person.ID == 0 {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		var donor bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM giving_gifts WHERE person_id = ?)", person.ID).Scan(&donor); err != nil {
			return fmt.Errorf("giving: is donor: %w", err)
		}
		if !donor {
			return nil
		}
		return s.mailStatement(ctx, tx, person, addr, year)
	})
}

// SendStatement mails a person their annual statement for year, at their primary e-mail.
// It needs giving.write (and people.read, to find the address). Audited.
func (s *Service) SendStatement(ctx context.Context, actor auth.Actor, personID int64, year int) error {
	if err := actor.Require(auth.PermGivingWrite); err != nil {
		return err
	}
	if err := checkYear(year, s.db.Now()); err != nil {
		return err
	}
	p, err := s.people.Get(ctx, actor, personID)
	if err != nil {
		return err
	}
	if len(p.Emails) == 0 {
		return errs.Invalid("person", "giving.statement.no_email")
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		if err := s.mailStatement(ctx, tx, p, p.Emails[0].Address, year); err != nil {
			return err
		}
		return record(ctx, tx, actor, "giving.statement.send", fmt.Sprintf("person:%d", personID), fmt.Sprintf(`{"year":%d}`, year))
	})
}

// personByEmail finds the person one of whose e-mails is addr; a zero Person when nobody
// has it. It reads through the people service as the system.
func (s *Service) personByEmail(ctx context.Context, addr string) (people.Person, error) {
	sys := auth.System("giving")
	found, err := s.people.Search(ctx, sys, addr, 10)
	if err != nil {
		return people.Person{}, err
	}
	for _, f := range found {
		p, err := s.people.Get(ctx, sys, f.ID)
		if err != nil {
			if errs.CodeOf(err) == errs.CodeNotFound {
				continue
			}
			return people.Person{}, err
		}
		for _, e := range p.Emails {
			if e.Address == addr {
				return p, nil
			}
		}
	}
	return people.Person{}, nil
}

// mailStatement queues the statement e-mail, with a link to its PDF, to addr.
func (s *Service) mailStatement(ctx context.Context, tx *db.Tx, p people.Person, addr string, year int) error {
	lang := p.Language
	if lang != "es" {
		lang = "en"
	}
	st, err := s.buildStatement(ctx, tx, p.ID, year, lang)
	if err != nil {
		return err
	}
	if st.DonorName == "" {
		st.DonorName = p.Name()
	}
	link, err := s.issueLink(ctx, tx, linkStatement, pdfLink{PersonID: p.ID, Year: year, Language: lang}, StatementLinkTTL)
	if err != nil {
		return err
	}
	t := s.catalog.Localizer(lang)
	data := map[string]any{"Year": year, "Org": st.Org, "Days": int(StatementLinkTTL / (24 * time.Hour))}
	l := letter{
		Lang:     t.Lang.Code,
		Subject:  t.T("giving.statement.mail.subject", data),
		Greeting: greeting(t, st.DonorName),
		Action:   t.T("giving.statement.mail.action"),
		Link:     link,
		Footer:   []string{t.T("giving.statement.mail.footer", data)},
	}
	if len(st.Gifts) == 0 {
		l.Paragraphs = []string{t.T("giving.statement.none", data)}
	} else {
		l.Paragraphs = []string{t.T("giving.statement.mail.body", data)}
		l.Columns, l.Rows = statementColumns(t), statementRows(t, st)
		for i, total := range st.Totals {
			if i > 0 {
				l.Total += " · "
			}
			l.Total += t.T("giving.statement.total", map[string]any{"Amount": total})
		}
	}
	if st.TaxStatement != "" {
		l.Paragraphs = append(l.Paragraphs, st.TaxStatement)
	}
	m, err := l.email(addr, "giving.statement")
	if err != nil {
		return err
	}
	if _, err := s.mail.Email(ctx, tx, m); err != nil {
		return fmt.Errorf("giving: queue statement: %w", err)
	}
	return nil
}

// StatementPDF returns the PDF statement a mailed link opens (file is "<token>.pdf") and
// the file name to save it as, built from the gifts as they stand now.
func (s *Service) StatementPDF(ctx context.Context, file string) ([]byte, string, error) {
	l, err := s.lookupLink(ctx, linkStatement, file)
	if err != nil {
		return nil, "", err
	}
	st, err := s.buildStatement(ctx, s.db, l.PersonID, l.Year, l.Language)
	if err != nil {
		return nil, "", coded(err)
	}
	b, err := s.statementPDF(st)
	if err != nil {
		return nil, "", errs.Internal(err)
	}
	return b, "statement-" + strconv.Itoa(l.Year) + ".pdf", nil
}

// buildStatement reads a person's gifts of year.
func (s *Service) buildStatement(ctx context.Context, q db.Queryer, personID int64, year int, lang string) (Statement, error) {
	st := Statement{PersonID: personID, Year: year, Language: lang}
	set, err := loadSettings(ctx, q)
	if err != nil {
		return st, err
	}
	st.Org, st.TaxID, st.TaxStatement = s.orgName(set), set.TaxID, set.TaxStatement(lang)
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	rows, err := q.QueryContext(ctx, `SELECT g.received_at, g.receipt_number, g.method, g.amount_cents, g.refunded_cents, g.currency,
		g.donor_name, f.name_en, f.name_es
		FROM giving_gifts g LEFT JOIN giving_funds f ON f.id = g.fund_id
		WHERE g.person_id = ? AND g.received_at >= ? AND g.received_at < ? AND g.status <> 'refunded'
		ORDER BY g.received_at, g.id`, personID, from, from.AddDate(1, 0, 0))
	if err != nil {
		return st, fmt.Errorf("giving: statement gifts: %w", err)
	}
	defer rows.Close()
	totals := map[string]int64{}
	for rows.Next() {
		var g StatementGift
		var number sql.NullInt64
		var method, donor string
		var fundEn, fundEs sql.NullString
		if err := rows.Scan(&g.ReceivedAt, &number, &method, &g.AmountCents, &g.RefundedCents, &g.Currency, &donor, &fundEn, &fundEs); err != nil {
			return st, fmt.Errorf("giving: read statement gift: %w", err)
		}
		g.Number, g.Method = number.Int64, Method(method)
		if g.Fund = fundEn.String; lang == "es" && fundEs.String != "" {
			g.Fund = fundEs.String
		}
		if donor != "" {
			st.DonorName = donor
		}
		totals[g.Currency] += g.AmountCents - g.RefundedCents
		st.Gifts = append(st.Gifts, g)
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("giving: statement gifts: %w", err)
	}
	currencies := make([]string, 0, len(totals))
	for c := range totals {
		currencies = append(currencies, c)
	}
	sort.Strings(currencies)
	for _, c := range currencies {
		st.Totals = append(st.Totals, FormatAmount(totals[c], c))
	}
	return st, nil
}

// statementColumns are the headings of a statement's table.
func statementColumns(t *i18n.Localizer) []string {
	return []string{t.T("giving.receipt.field.date"), t.T("giving.receipt.field.number"), t.T("giving.receipt.field.method"),
		t.T("giving.receipt.field.fund"), t.T("giving.receipt.field.amount")}
}

// statementRows are a statement's gifts as table cells.
func statementRows(t *i18n.Localizer, st Statement) [][]string {
	rows := make([][]string, 0, len(st.Gifts))
	for _, g := range st.Gifts {
		number := ""
		if g.Number != 0 {
			number = strconv.FormatInt(g.Number, 10)
		}
		rows = append(rows, []string{longDate(t, g.ReceivedAt), number, t.T(MethodKey(g.Method)), g.Fund, g.Net()})
	}
	return rows
}
