package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"strings"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Recovery codes: ten per account, each 16 characters of Crockford's base32 (80 bits, so
// a SHA-256 of it cannot be reversed by guessing), shown as xxxx-xxxx-xxxx-xxxx.
const (
	RecoveryCodes    = 10
	recoveryLen      = 16
	recoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"
)

// newRecoveryCode returns one code in display form.
func newRecoveryCode() string {
	b := make([]byte, recoveryLen)
	_, _ = rand.Read(b)
	var out strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(recoveryAlphabet[int(c)%len(recoveryAlphabet)]) // 256 is a multiple of 32: no bias
	}
	return out.String()
}

// recoveryHash folds what a person typed (case, dashes, spaces, and the letters Crockford
// reads as digits) and hashes it.
func recoveryHash(code string) ([]byte, bool) {
	c := strings.NewReplacer("i", "1", "l", "1", "o", "0").Replace(strings.ToLower(normalizeCode(code)))
	if len(c) != recoveryLen || strings.Trim(c, recoveryAlphabet) != "" {
		return nil, false
	}
	h := sha256.Sum256([]byte(c))
	return h[:], true
}

// replaceRecoveryCodes gives the account ten fresh codes, dropping the old ones, and
// returns them for showing once.
func replaceRecoveryCodes(ctx context.Context, tx *db.Tx, accountID int64) ([]string, error) {
	if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE account_id = ?", accountID); err != nil {
		return nil, fmt.Errorf("auth: drop recovery codes: %w", err)
	}
	codes := make([]string, RecoveryCodes)
	for i := range codes {
		codes[i] = newRecoveryCode()
		h, _ := recoveryHash(codes[i])
		if _, err := tx.ExecContext(ctx, "INSERT INTO recovery_codes (account_id, code_hash, created_at) VALUES (?, ?, ?)",
			accountID, h, tx.Now); err != nil {
			return nil, fmt.Errorf("auth: store recovery code: %w", err)
		}
	}
	return codes, nil
}

// useRecoveryCode spends one unused code of the account; it reports how many are left.
func useRecoveryCode(ctx context.Context, tx *db.Tx, accountID int64, code string) (left int, ok bool, err error) {
	h, valid := recoveryHash(code)
	if !valid {
		return 0, false, nil
	}
	res, err := tx.ExecContext(ctx, "UPDATE recovery_codes SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at IS NULL",
		tx.Now, accountID, h)
	if err != nil {
		return 0, false, fmt.Errorf("auth: use recovery code: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, false, err
	}
	left, err = recoveryLeft(ctx, tx, accountID)
	return left, err == nil, err
}

func recoveryLeft(ctx context.Context, q db.Queryer, accountID int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM recovery_codes WHERE account_id = ? AND used_at IS NULL", accountID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("auth: count recovery codes: %w", err)
	}
	return n, nil
}

// RecoveryCodesLeft returns how many unused recovery codes the signed-in account has.
func (s *Service) RecoveryCodesLeft(ctx context.Context, actor Actor) (int, error) {
	if actor.Kind != KindAccount || actor.ID == 0 {
		return 0, errs.Unauthenticated()
	}
	n, err := recoveryLeft(ctx, s.db, actor.ID)
	if err != nil {
		return 0, errs.Internal(err)
	}
	return n, nil
}

// RegenerateRecoveryCodes replaces the signed-in account's recovery codes with ten new
// ones, shown once. The account needs a second factor first.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, actor Actor) ([]string, error) {
	if actor.Kind != KindAccount || actor.ID == 0 {
		return nil, errs.Unauthenticated()
	}
	var codes []string
	err := s.inTx(ctx, func(tx *db.Tx) error {
		a, err := s.account(ctx, tx, actor.ID)
		if err != nil {
			return err
		}
		if !a.TwoFactor() {
			return errs.Conflict("auth.recovery.no_factor")
		}
		if codes, err = replaceRecoveryCodes(ctx, tx, a.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "auth.2fa.recovery.regenerate", accountObject(a.ID), "")
	})
	if err != nil {
		return nil, errs.As(err)
	}
	return codes, nil
}
