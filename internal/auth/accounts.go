package auth

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Account is a person who signs in. It never carries the password hash or second-factor
// secrets.
type Account struct {
	ID            int64
	Email         string
	Name          string
	Role          Role
	Locale        string
	Disabled      bool
	FailedSignIns int
	LockedUntil   *time.Time
	TOTP          bool // an authenticator app is enrolled
	Passkeys      int  // passkeys registered
	SignedInAt    *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TwoFactor reports whether the account has a second factor enrolled.
func (a Account) TwoFactor() bool { return a.TOTP || a.Passkeys > 0 }

// NewAccount is what creating an account needs.
type NewAccount struct {
	Email    string
	Name     string
	Role     Role
	Locale   string // "en" or "es"; empty means "en"
	Password string
}

// NameMax is the longest display name, in characters.
const NameMax = 100

const accountCols = `id, email, name, role, locale, disabled, failed_signins, locked_until,
	totp_secret <> '', (SELECT COUNT(*) FROM passkeys p WHERE p.account_id = accounts.id),
	signed_in_at, created_at, updated_at`

func scanAccount(row interface{ Scan(...any) error }) (Account, error) {
	var a Account
	var locked, signed sql.NullTime
	err := row.Scan(&a.ID, &a.Email, &a.Name, &a.Role, &a.Locale, &a.Disabled, &a.FailedSignIns,
		&locked, &a.TOTP, &a.Passkeys, &signed, &a.CreatedAt, &a.UpdatedAt)
	if err != nil {
		return a, err
	}
	a.LockedUntil = timePtr(locked)
	a.SignedInAt = timePtr(signed)
	return a, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

// NormalizeEmail trims and lower-cases an address, the form accounts are stored and
// looked up in.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// validEmail accepts a bare address (no display name) of at most 254 characters.
func validEmail(email string) bool {
	if email == "" || len(email) > 254 || strings.ContainsFunc(email, unicode.IsSpace) {
		return false
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Name != "" || addr.Address != email {
		return false
	}
	local, domain, ok := strings.Cut(email, "@")
	return ok && local != "" && domain != "" && !strings.Contains(domain, "@")
}

// cleanName trims a display name and checks it: 1 to 100 characters, no control characters.
func cleanName(name string, l *errs.List) string {
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case name == "":
		l.Add("name", "auth.name.required")
	case utf8.RuneCountInString(name) > NameMax:
		l.Add("name", "auth.name.too_long")
	case strings.ContainsFunc(name, unicode.IsControl):
		l.Add("name", "auth.name.invalid")
	}
	return name
}

// validate normalizes the input and returns every problem at once.
func (s *Service) validate(n *NewAccount) error {
	var l errs.List
	n.Email = NormalizeEmail(n.Email)
	if !validEmail(n.Email) {
		l.Add("email", "auth.email.invalid")
	}
	n.Name = cleanName(n.Name, &l)
	if !n.Role.Valid() {
		l.Add("role", "auth.role.invalid")
	}
	if n.Locale == "" {
		n.Locale = "en"
	}
	if !s.catalog.Supported(n.Locale) {
		l.Add("locale", "auth.locale.invalid")
	}
	if err := CheckPassword(n.Password, Personal{Email: n.Email, Name: n.Name}); err != nil {
		l = append(l, errs.As(err))
	}
	return l.Err()
}

// CreateAccount creates an account directly (most accounts come through invitations).
// Needs accounts.manage.
func (s *Service) CreateAccount(ctx context.Context, actor Actor, n NewAccount) (Account, error) {
	if err := actor.Require(PermAccountsManage); err != nil {
		return Account{}, err
	}
	if err := s.validate(&n); err != nil {
		return Account{}, err
	}
	hash, err := s.hashPassword(ctx, n.Password)
	if err != nil {
		return Account{}, err
	}
	var a Account
	err = s.inTx(ctx, func(tx *db.Tx) error {
		id, err := s.insertAccount(ctx, tx, n, hash)
		if err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, "auth.account.create", accountObject(id), "role="+string(n.Role)); err != nil {
			return err
		}
		a, err = s.account(ctx, tx, id)
		return err
	})
	return a, err
}

// insertAccount adds the row; a taken e-mail is a field error, since only administrators
// and invitees (whose invitation named the address) reach this.
func (s *Service) insertAccount(ctx context.Context, tx *db.Tx, n NewAccount, hash string) (int64, error) {
	handle := make([]byte, 32)
	_, _ = rand.Read(handle)
	id, err := tx.Insert(ctx, `INSERT INTO accounts (email, name, role, locale, password_hash, webauthn_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, n.Email, n.Name, string(n.Role), n.Locale, hash, handle, tx.Now, tx.Now)
	if db.IsUnique(err) {
		return 0, errs.Invalid("email", "auth.email.taken")
	}
	if err != nil {
		return 0, fmt.Errorf("auth: insert account: %w", err)
	}
	return id, nil
}

// account reads one account through q.
func (s *Service) account(ctx context.Context, q db.Queryer, id int64) (Account, error) {
	a, err := scanAccount(q.QueryRowContext(ctx, "SELECT "+accountCols+" FROM accounts WHERE id = ?", id))
	if err != nil {
		return a, db.Translate(err, "auth.account.not_found", "")
	}
	return a, nil
}

// Account returns one account; the account itself or accounts.manage may read it.
func (s *Service) Account(ctx context.Context, actor Actor, id int64) (Account, error) {
	if !actor.IsAccount(id) {
		if err := actor.Require(PermAccountsManage); err != nil {
			return Account{}, err
		}
	}
	return s.account(ctx, s.db, id)
}

// AccountByEmail finds an account by e-mail; needs accounts.manage.
func (s *Service) AccountByEmail(ctx context.Context, actor Actor, email string) (Account, error) {
	if err := actor.Require(PermAccountsManage); err != nil {
		return Account{}, err
	}
	a, err := scanAccount(s.db.QueryRowContext(ctx, "SELECT "+accountCols+" FROM accounts WHERE email = ?", NormalizeEmail(email)))
	if err != nil {
		return a, db.Translate(err, "auth.account.not_found", "")
	}
	return a, nil
}

// ListAccounts returns every account by name; needs accounts.manage.
func (s *Service) ListAccounts(ctx context.Context, actor Actor) ([]Account, error) {
	if err := actor.Require(PermAccountsManage); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+accountCols+" FROM accounts ORDER BY name, id")
	if err != nil {
		return nil, errs.Internalf("auth: list accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, errs.Internalf("auth: scan account: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Internalf("auth: list accounts: %w", err)
	}
	return out, nil
}

// SetRole changes an account's role and ends its sessions, so that the new role's
// two-factor rule and session lengths apply from its next sign-in. Needs accounts.manage;
// nobody changes their own role, and the last active administrator keeps theirs.
func (s *Service) SetRole(ctx context.Context, actor Actor, id int64, role Role) error {
	if err := actor.Require(PermAccountsManage); err != nil {
		return err
	}
	if !role.Valid() {
		return errs.Invalid("role", "auth.role.invalid")
	}
	if actor.IsAccount(id) {
		return errs.Conflict("auth.account.self")
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		a, err := s.account(ctx, tx, id)
		if err != nil {
			return err
		}
		if a.Role == role {
			return nil
		}
		if role != RoleAdministrator {
			if err := lastAdmin(ctx, tx, a); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET role = ?, updated_at = ? WHERE id = ?", string(role), tx.Now, id); err != nil {
			return fmt.Errorf("auth: set role: %w", err)
		}
		if err := endAccountSessions(ctx, tx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "auth.account.role", accountObject(id), fmt.Sprintf("role=%s→%s", a.Role, role))
	})
}

// SetLocale changes the language an account's mail and pages use; the account itself or
// accounts.manage may.
func (s *Service) SetLocale(ctx context.Context, actor Actor, id int64, locale string) error {
	if !actor.IsAccount(id) {
		if err := actor.Require(PermAccountsManage); err != nil {
			return err
		}
	}
	if !s.catalog.Supported(locale) {
		return errs.Invalid("locale", "auth.locale.invalid")
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE accounts SET locale = ?, updated_at = ? WHERE id = ?", locale, tx.Now, id)
		return mustAffect(res, err, "auth.account.not_found")
	})
}

// DisableAccount stops an account from signing in and ends its sessions. Needs
// accounts.manage; nobody disables themselves, and the last active administrator stays.
func (s *Service) DisableAccount(ctx context.Context, actor Actor, id int64) error {
	if err := actor.Require(PermAccountsManage); err != nil {
		return err
	}
	if actor.IsAccount(id) {
		return errs.Conflict("auth.account.self")
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		a, err := s.account(ctx, tx, id)
		if err != nil {
			return err
		}
		if a.Disabled {
			return nil
		}
		if err := lastAdmin(ctx, tx, a); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET disabled = TRUE, updated_at = ? WHERE id = ?", tx.Now, id); err != nil {
			return fmt.Errorf("auth: disable account: %w", err)
		}
		if err := endAccountSessions(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM password_resets WHERE account_id = ?", id); err != nil {
			return fmt.Errorf("auth: drop resets: %w", err)
		}
		return s.record(ctx, tx, actor, "auth.account.disable", accountObject(id), "")
	})
}

// EnableAccount lets a disabled account sign in again and clears its lockout. Needs
// accounts.manage.
func (s *Service) EnableAccount(ctx context.Context, actor Actor, id int64) error {
	if err := actor.Require(PermAccountsManage); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET disabled = FALSE, failed_signins = 0, locked_until = NULL,
			updated_at = ? WHERE id = ?`, tx.Now, id)
		if err := mustAffect(res, err, "auth.account.not_found"); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "auth.account.enable", accountObject(id), "")
	})
}

// lastAdmin refuses to take away the last active administrator.
func lastAdmin(ctx context.Context, tx *db.Tx, a Account) error {
	if a.Role != RoleAdministrator || a.Disabled {
		return nil
	}
	var others int
	err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM accounts WHERE role = ? AND disabled = FALSE AND id <> ?",
		string(RoleAdministrator), a.ID).Scan(&others)
	if err != nil {
		return fmt.Errorf("auth: count administrators: %w", err)
	}
	if others == 0 {
		return errs.Conflict("auth.account.last_admin")
	}
	return nil
}

// mustAffect turns an update that touched no row into notFoundKey.
func mustAffect(res sql.Result, err error, notFoundKey string) error {
	if err != nil {
		return errs.Internal(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return errs.Internal(err)
	}
	if n == 0 {
		return errs.NotFound(notFoundKey)
	}
	return nil
}
