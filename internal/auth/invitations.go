package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 72 * time.Hour

// InvitationPath is where invitation links point: InvitationPath + token.
const InvitationPath = "/invitations/"

// Invitation is an invitation waiting to be accepted.
type Invitation struct {
	ID        int64
	Email     string
	Role      Role
	Locale    string
	InvitedBy int64 // 0 when the inviter's account is gone or it was the system
	CreatedAt time.Time
	ExpiresAt time.Time
}

// NewInvitation is what inviting someone needs.
type NewInvitation struct {
	Email  string
	Role   Role
	Locale string // the invitee's language, for the mail and their account; empty means "en"
}

// Invite sends a single-use link to join with a role, in the invitee's language, and
// replaces any earlier invitation to the same address. Needs accounts.manage. An address
// that already has an account is field "email" with auth.email.taken.
func (s *Service) Invite(ctx context.Context, actor Actor, n NewInvitation) (Invitation, error) {
	if err := actor.Require(PermAccountsManage); err != nil {
		return Invitation{}, err
	}
	var l errs.List
	n.Email = NormalizeEmail(n.Email)
	if !validEmail(n.Email) {
		l.Add("email", "auth.email.invalid")
	}
	if !n.Role.Valid() {
		l.Add("role", "auth.role.invalid")
	}
	if n.Locale == "" {
		n.Locale = "en"
	}
	if !s.catalog.Supported(n.Locale) {
		l.Add("locale", "auth.locale.invalid")
	}
	if err := l.Err(); err != nil {
		return Invitation{}, err
	}
	token := randomToken()
	inviter := actor.Name
	if inviter == "" {
		inviter = s.issuer
	}
	var inv Invitation
	err := s.inTx(ctx, func(tx *db.Tx) error {
		var taken int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM accounts WHERE email = ?", n.Email).Scan(&taken); err != nil {
			return fmt.Errorf("auth: check e-mail: %w", err)
		}
		if taken > 0 {
			return errs.Invalid("email", "auth.email.taken")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM invitations WHERE email = ?", n.Email); err != nil {
			return fmt.Errorf("auth: replace invitation: %w", err)
		}
		var by any // NULL unless an account invites
		inv = Invitation{Email: n.Email, Role: n.Role, Locale: n.Locale, CreatedAt: tx.Now, ExpiresAt: tx.Now.Add(InvitationTTL)}
		if actor.Kind == KindAccount {
			by, inv.InvitedBy = actor.ID, actor.ID
		}
		id, err := tx.Insert(ctx, `INSERT INTO invitations (email, role, locale, token_hash, invited_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, n.Email, string(n.Role), n.Locale, tokenHash(token), by, tx.Now, inv.ExpiresAt)
		if err != nil {
			return fmt.Errorf("auth: store invitation: %w", err)
		}
		inv.ID = id
		m, err := s.inviteLetter(n.Locale, inviter, n.Role, s.link(InvitationPath+token)).email(n.Email, "auth.invite")
		if err != nil {
			return err
		}
		if _, err := s.mail.Email(ctx, tx, m); err != nil {
			return fmt.Errorf("auth: queue invitation mail: %w", err)
		}
		return s.record(ctx, tx, actor, "auth.invite", fmt.Sprintf("invitation:%d", id), "role="+string(n.Role))
	})
	if err != nil {
		return Invitation{}, errs.As(err)
	}
	return inv, nil
}

const invitationCols = "id, email, role, locale, invited_by, created_at, expires_at"

func scanInvitation(row interface{ Scan(...any) error }) (Invitation, error) {
	var inv Invitation
	var by sql.NullInt64
	err := row.Scan(&inv.ID, &inv.Email, &inv.Role, &inv.Locale, &by, &inv.CreatedAt, &inv.ExpiresAt)
	inv.InvitedBy = by.Int64
	return inv, err
}

// Invitation returns the invitation of a link, for the page where it is accepted. An
// unknown or used link is not found with auth.invitation.invalid; an expired one with
// auth.invitation.expired.
func (s *Service) Invitation(ctx context.Context, token string) (Invitation, error) {
	return s.invitation(ctx, s.db, token, s.db.Now())
}

func (s *Service) invitation(ctx context.Context, q db.Queryer, token string, now time.Time) (Invitation, error) {
	if !wellFormed(token) {
		return Invitation{}, errs.NotFound("auth.invitation.invalid")
	}
	inv, err := scanInvitation(q.QueryRowContext(ctx, "SELECT "+invitationCols+" FROM invitations WHERE token_hash = ?", tokenHash(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return Invitation{}, errs.NotFound("auth.invitation.invalid")
	}
	if err != nil {
		return Invitation{}, errs.Internalf("auth: read invitation: %w", err)
	}
	if !now.Before(inv.ExpiresAt) {
		return Invitation{}, errs.NotFound("auth.invitation.expired")
	}
	return inv, nil
}

// AcceptInvitation creates the invitee's account with the invited e-mail, role and
// language, and the name and password they chose. The link works once.
func (s *Service) AcceptInvitation(ctx context.Context, token, name, password string) (Account, error) {
	inv, err := s.Invitation(ctx, token)
	if err != nil {
		return Account{}, err
	}
	n := NewAccount{Email: inv.Email, Name: name, Role: inv.Role, Locale: inv.Locale, Password: password}
	if err := s.validate(&n); err != nil {
		return Account{}, err
	}
	hash, err := s.hashPassword(ctx, n.Password)
	if err != nil {
		return Account{}, err
	}
	var a Account
	err = s.inTx(ctx, func(tx *db.Tx) error {
		// Read again inside the transaction and delete: of two concurrent accepts, one wins.
		if inv, err = s.invitation(ctx, tx, token, tx.Now); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM invitations WHERE id = ?", inv.ID)
		if err := mustAffect(res, err, "auth.invitation.invalid"); err != nil {
			return err
		}
		id, err := s.insertAccount(ctx, tx, n, hash)
		if err != nil {
			return err
		}
		if a, err = s.account(ctx, tx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, accountActor(a), "auth.invite.accept", accountObject(id), fmt.Sprintf("invitation=%d role=%s", inv.ID, inv.Role))
	})
	if err != nil {
		return Account{}, errs.As(err)
	}
	return a, nil
}

// ListInvitations returns the invitations not yet accepted, newest first; needs
// accounts.manage.
func (s *Service) ListInvitations(ctx context.Context, actor Actor) ([]Invitation, error) {
	if err := actor.Require(PermAccountsManage); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+invitationCols+" FROM invitations ORDER BY created_at DESC, id DESC")
	if err != nil {
		return nil, errs.Internalf("auth: list invitations: %w", err)
	}
	defer rows.Close()
	var out []Invitation
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, errs.Internalf("auth: scan invitation: %w", err)
		}
		out = append(out, inv)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Internalf("auth: list invitations: %w", err)
	}
	return out, nil
}

// RevokeInvitation withdraws an invitation so that its link stops working; needs
// accounts.manage.
func (s *Service) RevokeInvitation(ctx context.Context, actor Actor, id int64) error {
	if err := actor.Require(PermAccountsManage); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM invitations WHERE id = ?", id)
		if err := mustAffect(res, err, "auth.invitation.not_found"); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "auth.invite.revoke", fmt.Sprintf("invitation:%d", id), "")
	})
}
