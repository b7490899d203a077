package auth

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// cli returns the actor of the command line: operators who can run the binary on the server
// already hold the database, so it may do everything; every step is still audited.
func cli() Actor { return System("cli") }

// AdminCreateUser creates an account from the command line
// (solidarity admin create-user --email E --name N --role R --password-stdin), typically
// the first administrator. Errors are the same coded errors as CreateAccount's.
func (s *Service) AdminCreateUser(ctx context.Context, email, name string, role Role, password string) (Account, error) {
	return s.CreateAccount(ctx, cli(), NewAccount{Email: email, Name: name, Role: role, Password: password})
}

// AdminResetTwoFactor removes every second factor of the account with email and ends its
// sessions, from the command line (solidarity admin reset-2fa --email E).
func (s *Service) AdminResetTwoFactor(ctx context.Context, email string) error {
	a, err := s.AccountByEmail(ctx, cli(), email)
	if err != nil {
		return err
	}
	return s.ResetTwoFactor(ctx, cli(), a.ID)
}

// AdminDisableUser disables the account with email and ends its sessions, from the command
// line (solidarity admin disable-user --email E).
func (s *Service) AdminDisableUser(ctx context.Context, email string) error {
	a, err := s.AccountByEmail(ctx, cli(), email)
	if err != nil {
		return err
	}
	return s.DisableAccount(ctx, cli(), a.ID)
}

// ReadPassword reads a password from the first line of r (--password-stdin), without the
// line ending. Nothing else on the line is trimmed: spaces may be part of a passphrase.
func ReadPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4*PasswordMax+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("auth: read password: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("auth: no password on standard input")
	}
	return line, nil
}
