package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"solidarity/internal/errs"
)

// Password length limits, in characters (runes). NIST SP 800-63B: at least 8, and we ask
// for 12 since there is no composition rule; long passphrases are welcome up to a bound that
// keeps hashing cheap to refuse.
const (
	PasswordMin = 12
	PasswordMax = 256
)

// PasswordParams are the argon2id costs. They are written into every stored hash, so they
// can be raised later: a hash made with older costs is redone at the next sign-in.
type PasswordParams struct {
	Time    uint32 // passes
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultPasswordParams returns OWASP's first argon2id setting: t=1, m=64 MiB, p=2.
func DefaultPasswordParams() PasswordParams {
	return PasswordParams{Time: 1, Memory: 64 * 1024, Threads: 2}
}

const (
	saltLen = 16
	keyLen  = 32
)

func (p PasswordParams) check() error {
	switch {
	case p.Time < 1 || p.Time > 16:
		return fmt.Errorf("time %d out of range 1–16", p.Time)
	case p.Memory < 8*1024:
		return fmt.Errorf("memory %d KiB below 8 MiB", p.Memory)
	case p.Memory > 1024*1024:
		return fmt.Errorf("memory %d KiB above 1 GiB", p.Memory)
	case p.Threads < 1:
		return errors.New("threads below 1")
	}
	return nil
}

// hashPassword returns the PHC string of password under the service's parameters:
// $argon2id$v=19$m=65536,t=1,p=2$<salt>$<hash> (unpadded standard base64).
func (s *Service) hashPassword(ctx context.Context, password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	if err := s.acquireHash(ctx); err != nil {
		return "", err
	}
	defer s.releaseHash()
	p := s.params
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	return encodeHash(p, salt, key), nil
}

func encodeHash(p PasswordParams, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// decodeHash parses a PHC argon2id string, refusing costs that could be used to exhaust
// the server if the stored value were tampered with.
func decodeHash(encoded string) (PasswordParams, []byte, []byte, error) {
	var p PasswordParams
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("auth: not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("auth: argon2 version %q unsupported", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("auth: argon2 parameters %q: %w", parts[3], err)
	}
	if err := p.check(); err != nil {
		return p, nil, nil, fmt.Errorf("auth: argon2 parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, errors.New("auth: argon2 salt malformed")
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, errors.New("auth: argon2 key malformed")
	}
	return p, salt, key, nil
}

// verifyPassword reports whether password matches encoded, and whether the hash should be
// redone because the service's parameters changed since it was made.
func (s *Service) verifyPassword(ctx context.Context, encoded, password string) (ok, rehash bool, err error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	if err := s.acquireHash(ctx); err != nil {
		return false, false, err
	}
	defer s.releaseHash()
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	ok = subtle.ConstantTimeCompare(got, key) == 1
	return ok, ok && (p != s.params || len(salt) != saltLen || len(key) != keyLen), nil
}

func (s *Service) acquireHash(ctx context.Context) error {
	select {
	case s.hashes <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("auth: waiting to hash: %w", ctx.Err())
	}
}

func (s *Service) releaseHash() { <-s.hashes }

// Personal is what a password must not contain: the account's e-mail and name.
type Personal struct {
	Email string
	Name  string
}

// CheckPassword applies the password rules: 12 to 256 characters, any characters, no
// composition rules; not a common password, phrase or pattern; not containing the
// account's e-mail local part or name. It returns an invalid-input error for field
// "password" with key auth.password.too_short, too_long, common or personal.
func CheckPassword(password string, who Personal) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return errs.Invalid("password", "auth.password.invalid")
	case n < PasswordMin:
		return errs.Invalid("password", "auth.password.too_short")
	case n > PasswordMax:
		return errs.Invalid("password", "auth.password.too_long")
	case containsPersonal(password, who):
		return errs.Invalid("password", "auth.password.personal")
	case isCommon(password):
		return errs.Invalid("password", "auth.password.common")
	}
	return nil
}

// personalMin is the shortest piece of a name or e-mail that counts: shorter pieces ("ana",
// "li") occur inside too many ordinary words to refuse them.
const personalMin = 4

// containsPersonal reports whether the password contains the e-mail's local part (or a
// piece of it split at dots, dashes, plus signs and digits) or any part of the name.
func containsPersonal(password string, who Personal) bool {
	folded := foldForCompare(password)
	var pieces []string
	if local, _, ok := strings.Cut(strings.ToLower(strings.TrimSpace(who.Email)), "@"); ok && local != "" {
		pieces = append(pieces, local)
		pieces = append(pieces, strings.FieldsFunc(local, func(r rune) bool {
			return !unicode.IsLetter(r)
		})...)
	}
	name := strings.Fields(strings.ToLower(who.Name))
	pieces = append(pieces, strings.Join(name, ""))
	pieces = append(pieces, name...)
	for _, p := range pieces {
		p = foldForCompare(p)
		if utf8.RuneCountInString(p) >= personalMin && strings.Contains(folded, p) {
			return true
		}
	}
	return false
}

// foldForCompare lower-cases, drops accents, spaces and separators, so that "María López"
// and "maria.lopez" compare the same.
func foldForCompare(s string) string {
	var b strings.Builder
	for _, r := range stripAccents(strings.ToLower(s)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
