package auth

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// ceremonyTTL is how long a started passkey registration or login waits for the browser.
const ceremonyTTL = 5 * time.Minute

// PasskeyNameMax is the longest passkey name, in characters.
const PasskeyNameMax = 60

// Passkey is a registered WebAuthn credential, as the account's security page lists it.
type Passkey struct {
	ID         int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// passkeyUser adapts an account to the library's User.
type passkeyUser struct {
	handle []byte
	email  string
	name   string
	creds  []webauthn.Credential
}

func (u *passkeyUser) WebAuthnID() []byte                         { return u.handle }
func (u *passkeyUser) WebAuthnName() string                       { return u.email }
func (u *passkeyUser) WebAuthnDisplayName() string                { return u.name }
func (u *passkeyUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

func loadPasskeyUser(ctx context.Context, q db.Queryer, accountID int64) (*passkeyUser, error) {
	u := &passkeyUser{}
	err := q.QueryRowContext(ctx, "SELECT webauthn_id, email, name FROM accounts WHERE id = ?", accountID).Scan(&u.handle, &u.email, &u.name)
	if err != nil {
		return nil, db.Translate(err, "auth.account.not_found", "")
	}
	rows, err := q.QueryContext(ctx, "SELECT credential FROM passkeys WHERE account_id = ? ORDER BY id", accountID)
	if err != nil {
		return nil, fmt.Errorf("auth: read passkeys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var raw string
		var c webauthn.Credential
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("auth: read passkey: %w", err)
		}
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return nil, fmt.Errorf("auth: decode passkey: %w", err)
		}
		u.creds = append(u.creds, c)
	}
	return u, rows.Err()
}

// saveCeremony keeps the library's session data for the finish step, one per session and
// kind; starting again replaces it.
func saveCeremony(ctx context.Context, tx *db.Tx, sessionID int64, kind string, sd *webauthn.SessionData) error {
	data, err := json.Marshal(sd)
	if err != nil {
		return fmt.Errorf("auth: encode passkey ceremony: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM passkey_ceremonies WHERE session_id = ? AND kind = ?", sessionID, kind); err != nil {
		return fmt.Errorf("auth: replace passkey ceremony: %w", err)
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO passkey_ceremonies (session_id, kind, data, expires_at) VALUES (?, ?, ?, ?)",
		sessionID, kind, string(data), tx.Now.Add(ceremonyTTL))
	if err != nil {
		return fmt.Errorf("auth: store passkey ceremony: %w", err)
	}
	return nil
}

// takeCeremony reads and deletes the ceremony, so that each challenge is answered once.
func takeCeremony(ctx context.Context, tx *db.Tx, sessionID int64, kind string) (webauthn.SessionData, error) {
	var sd webauthn.SessionData
	var data string
	var expires time.Time
	err := tx.QueryRowContext(ctx, "SELECT data, expires_at FROM passkey_ceremonies WHERE session_id = ? AND kind = ?",
		sessionID, kind).Scan(&data, &expires)
	if err == sql.ErrNoRows || (err == nil && !tx.Now.Before(expires)) {
		return sd, errs.Invalid("passkey", "auth.passkey.expired")
	}
	if err != nil {
		return sd, fmt.Errorf("auth: read passkey ceremony: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM passkey_ceremonies WHERE session_id = ? AND kind = ?", sessionID, kind); err != nil {
		return sd, fmt.Errorf("auth: use passkey ceremony: %w", err)
	}
	if err := json.Unmarshal([]byte(data), &sd); err != nil {
		return sd, fmt.Errorf("auth: decode passkey ceremony: %w", err)
	}
	return sd, nil
}

// BeginPasskeyRegistration starts adding a passkey for the session's account (a signed-in
// session, or one that must enrol a second factor). The result is JSON for the browser's
// navigator.credentials.create.
func (s *Service) BeginPasskeyRegistration(ctx context.Context, token string) (*protocol.CredentialCreation, error) {
	r, err := s.enrolling(ctx, token)
	if err != nil {
		return nil, err
	}
	var creation *protocol.CredentialCreation
	err = s.inTx(ctx, func(tx *db.Tx) error {
		u, err := loadPasskeyUser(ctx, tx, r.AccountID)
		if err != nil {
			return err
		}
		c, sd, err := s.webauthn.BeginRegistration(u,
			webauthn.WithExclusions(webauthn.Credentials(u.creds).CredentialDescriptors()),
			webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementPreferred))
		if err != nil {
			return fmt.Errorf("auth: begin passkey registration: %w", err)
		}
		creation = c
		return saveCeremony(ctx, tx, r.ID, "register", sd)
	})
	if err != nil {
		return nil, errs.As(err)
	}
	return creation, nil
}

// FinishPasskeyRegistration checks the browser's answer (the JSON of the created
// credential) and stores the passkey under name. Like ConfirmTOTP, a first factor brings
// recovery codes and an enrolling session is signed in. A refused answer is field
// "passkey" with auth.passkey.failed; a stale one, auth.passkey.expired.
func (s *Service) FinishPasskeyRegistration(ctx context.Context, token, name string, response []byte) (Enrolment, error) {
	r, err := s.enrolling(ctx, token)
	if err != nil {
		return Enrolment{}, err
	}
	var l errs.List
	if name = cleanName(name, &l); len(l) > 0 {
		return Enrolment{}, errs.Invalid("name", "auth.passkey.name_required")
	}
	if utf8.RuneCountInString(name) > PasskeyNameMax {
		return Enrolment{}, errs.Invalid("name", "auth.passkey.name_too_long")
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		s.log.Info("auth: passkey registration refused", "account", r.AccountID, "err", err)
		return Enrolment{}, errs.Invalid("passkey", "auth.passkey.failed")
	}
	var e Enrolment
	err = s.inTx(ctx, func(tx *db.Tx) error {
		sd, err := takeCeremony(ctx, tx, r.ID, "register")
		if err != nil {
			return err
		}
		u, err := loadPasskeyUser(ctx, tx, r.AccountID)
		if err != nil {
			return err
		}
		cred, err := s.webauthn.CreateCredential(u, sd, parsed)
		if err != nil {
			s.log.Info("auth: passkey registration refused", "account", r.AccountID, "err", err)
			return errs.Invalid("passkey", "auth.passkey.failed")
		}
		raw, err := json.Marshal(cred)
		if err != nil {
			return fmt.Errorf("auth: encode passkey: %w", err)
		}
		a, err := s.account(ctx, tx, r.AccountID)
		if err != nil {
			return err
		}
		id, err := tx.Insert(ctx, "INSERT INTO passkeys (account_id, credential_id, name, credential, created_at) VALUES (?, ?, ?, ?, ?)",
			a.ID, cred.ID, name, string(raw), tx.Now)
		if db.IsUnique(err) {
			return errs.Conflict("auth.passkey.exists")
		}
		if err != nil {
			return fmt.Errorf("auth: store passkey: %w", err)
		}
		e, err = s.finishEnrolment(ctx, tx, r, a, a.TwoFactor(), "auth.2fa.passkey.add", fmt.Sprintf("passkey=%d", id))
		return err
	})
	if err != nil {
		return Enrolment{}, errs.As(err)
	}
	return e, nil
}

// BeginPasskeyLogin starts the passkey step of a session waiting for its second factor.
// The result is JSON for the browser's navigator.credentials.get.
func (s *Service) BeginPasskeyLogin(ctx context.Context, token string) (*protocol.CredentialAssertion, error) {
	r, err := s.lookup(ctx, token)
	if err != nil {
		return nil, err
	}
	if r.Stage != StageSecondFactor {
		return nil, errs.Unauthenticated()
	}
	var assertion *protocol.CredentialAssertion
	err = s.inTx(ctx, func(tx *db.Tx) error {
		u, err := loadPasskeyUser(ctx, tx, r.AccountID)
		if err != nil {
			return err
		}
		if len(u.creds) == 0 {
			return errs.NotFound("auth.passkey.none")
		}
		a, sd, err := s.webauthn.BeginLogin(u)
		if err != nil {
			return fmt.Errorf("auth: begin passkey login: %w", err)
		}
		assertion = a
		return saveCeremony(ctx, tx, r.ID, "login", sd)
	})
	if err != nil {
		return nil, errs.As(err)
	}
	return assertion, nil
}

// FinishPasskeyLogin checks the browser's answer (the JSON of the assertion) and signs the
// session in, like VerifySecondFactor. A refused answer counts toward the lockout and is
// field "passkey" with auth.passkey.failed.
func (s *Service) FinishPasskeyLogin(ctx context.Context, token string, response []byte) (Grant, error) {
	r, err := s.lookup(ctx, token)
	if err != nil {
		return Grant{}, err
	}
	if r.Stage != StageSecondFactor {
		return Grant{}, errs.Unauthenticated()
	}
	a, err := s.account(ctx, s.db, r.AccountID)
	if err != nil {
		return Grant{}, err
	}
	refused := errs.Invalid("passkey", "auth.passkey.failed")
	if a.LockedUntil != nil && s.db.Now().Before(*a.LockedUntil) {
		return Grant{}, refused
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		s.log.Info("auth: passkey login refused", "account", a.ID, "err", err)
		_ = s.secondFactorFailed(ctx, r, a)
		return Grant{}, refused
	}
	var g Grant
	valid := false
	err = s.inTx(ctx, func(tx *db.Tx) error {
		sd, err := takeCeremony(ctx, tx, r.ID, "login")
		if err != nil {
			return err
		}
		u, err := loadPasskeyUser(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		cred, err := s.webauthn.ValidateLogin(u, sd, parsed)
		if err != nil || cred.Authenticator.CloneWarning {
			s.log.Info("auth: passkey login refused", "account", a.ID, "err", err)
			return nil
		}
		raw, err := json.Marshal(cred)
		if err != nil {
			return fmt.Errorf("auth: encode passkey: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE passkeys SET credential = ?, last_used_at = ? WHERE account_id = ? AND credential_id = ?",
			string(raw), tx.Now, a.ID, cred.ID); err != nil {
			return fmt.Errorf("auth: update passkey: %w", err)
		}
		valid = true
		return s.completeSignIn(ctx, tx, r, a, "factor=passkey", &g)
	})
	if err != nil {
		return Grant{}, errs.As(err)
	}
	if !valid {
		_ = s.secondFactorFailed(ctx, r, a)
		return Grant{}, refused
	}
	return g, nil
}

// ListPasskeys returns the signed-in account's passkeys.
func (s *Service) ListPasskeys(ctx context.Context, actor Actor) ([]Passkey, error) {
	if actor.Kind != KindAccount || actor.ID == 0 {
		return nil, errs.Unauthenticated()
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id, name, created_at, last_used_at FROM passkeys WHERE account_id = ? ORDER BY id", actor.ID)
	if err != nil {
		return nil, errs.Internalf("auth: list passkeys: %w", err)
	}
	defer rows.Close()
	var out []Passkey
	for rows.Next() {
		var p Passkey
		var used sql.NullTime
		if err := rows.Scan(&p.ID, &p.Name, &p.CreatedAt, &used); err != nil {
			return nil, errs.Internalf("auth: scan passkey: %w", err)
		}
		p.LastUsedAt = timePtr(used)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Internalf("auth: list passkeys: %w", err)
	}
	return out, nil
}

// RemovePasskey removes one of the signed-in account's passkeys. A role that needs
// two-factor keeps its last factor (conflict, auth.second_factor.required).
func (s *Service) RemovePasskey(ctx context.Context, actor Actor, id int64) error {
	if actor.Kind != KindAccount || actor.ID == 0 {
		return errs.Unauthenticated()
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		a, err := s.account(ctx, tx, actor.ID)
		if err != nil {
			return err
		}
		var owner int64
		err = tx.QueryRowContext(ctx, "SELECT account_id FROM passkeys WHERE id = ?", id).Scan(&owner)
		if err != nil {
			return db.Translate(err, "auth.passkey.not_found", "")
		}
		if owner != a.ID {
			return errs.NotFound("auth.passkey.not_found") // someone else's is as good as none
		}
		remaining := a.TOTP || a.Passkeys > 1
		if err := removeFactorAllowed(a, remaining); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM passkeys WHERE id = ?", id); err != nil {
			return fmt.Errorf("auth: remove passkey: %w", err)
		}
		if !remaining {
			if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE account_id = ?", a.ID); err != nil {
				return fmt.Errorf("auth: drop recovery codes: %w", err)
			}
		}
		return s.record(ctx, tx, actor, "auth.2fa.passkey.remove", accountObject(a.ID), fmt.Sprintf("passkey=%d", id))
	})
}
