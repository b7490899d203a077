package giving

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Settings are what receipts and statements say about the organization.
type Settings struct {
	// LegalName is the organization's registered name; receipts fall back to the site's
	// name while it is empty.
	LegalName string
	// TaxID is the EIN or other tax number, printed when set.
	TaxID string
	// TaxStatementEn and TaxStatementEs are the tax statement in each language ("No goods
	// or services were provided in exchange…"); a receipt in a language whose statement
	// is empty prints the other one rather than none.
	TaxStatementEn string
	TaxStatementEs string
	UpdatedBy      string
	UpdatedAt      time.Time
}

// Limits of the settings' fields, in characters.
const (
	maxLegalName    = 200
	maxTaxID        = 50
	maxTaxStatement = 2000
)

// TaxStatement returns the statement in lang, or in the other language when that one is
// empty.
func (st Settings) TaxStatement(lang string) string {
	if lang == "es" && st.TaxStatementEs != "" || st.TaxStatementEn == "" {
		return st.TaxStatementEs
	}
	return st.TaxStatementEn
}

// Validate trims the settings and reports each field that is too long or holds control
// characters.
func (st *Settings) Validate() error {
	var l errs.List
	check := func(field string, v *string, max int, multiline bool) {
		*v = strings.TrimSpace(*v)
		if multiline {
			*v = strings.ReplaceAll(*v, "\r\n", "\n")
		}
		switch {
		case utf8.RuneCountInString(*v) > max:
			l.Add(field, "giving.settings.too_long")
		case !utf8.ValidString(*v) || strings.IndexFunc(*v, func(r rune) bool {
			return r < ' ' && !(multiline && r == '\n') || r == 0x7f
		}) >= 0:
			l.Add(field, "giving.settings.invalid")
		}
	}
	check("legal_name", &st.LegalName, maxLegalName, false)
	check("tax_id", &st.TaxID, maxTaxID, false)
	check("tax_statement_en", &st.TaxStatementEn, maxTaxStatement, true)
	check("tax_statement_es", &st.TaxStatementEs, maxTaxStatement, true)
	return l.Err()
}

// canSetUp reports whether the actor may change the receipt settings: giving.write, or
// settings.manage for administrators of the install.
func canSetUp(actor auth.Actor) error {
	if actor.Can(auth.PermGivingWrite) || actor.Can(auth.PermSettingsManage) {
		return nil
	}
	return actor.Require(auth.PermGivingWrite)
}

// Settings returns the receipt settings. It needs giving.read, giving.write or
// settings.manage.
func (s *Service) Settings(ctx context.Context, actor auth.Actor) (Settings, error) {
	if !actor.Can(auth.PermGivingRead) {
		if err := canSetUp(actor); err != nil {
			return Settings{}, err
		}
	}
	st, err := loadSettings(ctx, s.db)
	return st, coded(err)
}

// SaveSettings replaces the receipt settings. Receipts already sent keep what they said;
// PDFs downloaded later print the new settings. Audited.
func (s *Service) SaveSettings(ctx context.Context, actor auth.Actor, st Settings) (Settings, error) {
	if err := canSetUp(actor); err != nil {
		return Settings{}, err
	}
	if err := st.Validate(); err != nil {
		return Settings{}, err
	}
	err := s.inTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE giving_settings SET legal_name = ?, tax_id = ?, tax_statement_en = ?,
			tax_statement_es = ?, updated_by = ?, updated_at = ? WHERE id = 1`,
			st.LegalName, st.TaxID, st.TaxStatementEn, st.TaxStatementEs, actor.Label(), tx.Now); err != nil {
			return fmt.Errorf("giving: save settings: %w", err)
		}
		return record(ctx, tx, actor, "giving.settings", "giving_settings", "")
	})
	if err != nil {
		return Settings{}, err
	}
	return loadSettings(ctx, s.db)
}

// loadSettings reads the settings row.
func loadSettings(ctx context.Context, q db.Queryer) (Settings, error) {
	var st Settings
	var at sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT legal_name, tax_id, tax_statement_en, tax_statement_es, updated_by, updated_at
		FROM giving_settings WHERE id = 1`).Scan(&st.LegalName, &st.TaxID, &st.TaxStatementEn, &st.TaxStatementEs, &st.UpdatedBy, &at)
	if err != nil {
		return Settings{}, fmt.Errorf("giving: read settings: %w", err)
	}
	st.UpdatedAt = at.Time
	return st, nil
}
