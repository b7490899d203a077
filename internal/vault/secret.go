package vault

import (
	"bytes"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"solidarity/internal/errs"
)

// Passphrase length limits, in characters after normalization (NIST SP 800-63B: long
// passphrases allowed, no composition rules).
const (
	minPassphrase = 12
	maxPassphrase = 1024
)

// KDFParams is the argon2id cost of turning a passphrase into the master key.
type KDFParams struct {
	Time      uint32 // passes over memory
	MemoryKiB uint32 // memory, in KiB
	Threads   uint8  // lanes
}

// DefaultKDF returns the argon2id cost new passphrases get: t=3, 64 MiB, 2 lanes (RFC
// 9106's second recommended setting, lanes matched to a small server). Unsealing is rare,
// so it can afford ~0.2–0.6 s; what that buys is a costlier offline guess for whoever
// seizes a copy of the database.
func DefaultKDF() KDFParams { return KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 2} }

// valid bounds stored parameters, so a tampered row cannot make unsealing exhaust memory.
func (p KDFParams) valid() bool {
	return p.Time >= 1 && p.Time <= 64 && p.MemoryKiB >= 8*1024 && p.MemoryKiB <= 4*1024*1024 && p.Threads >= 1
}

// Secret is the operator's master secret: a passphrase or the contents of a key file. It
// never prints: String, GoString and LogValue redact it, and its bytes sit behind a
// pointer so that even a struct holding it, printed with %+v, shows only an address. It is
// only ever used to derive the master key, which is never stored.
type Secret struct{ p *secretBytes }

type secretBytes struct {
	kind string // kdfArgon2id or kdfKeyFile
	b    []byte // normalized passphrase, or the 32 key-file bytes
	bad  bool   // key file that is not 32 bytes, raw or base64
}

// Passphrase returns a secret from a passphrase, normalized (NFKC) so that the same words
// typed on different systems open the vault.
func Passphrase(s string) Secret {
	return Secret{&secretBytes{kind: kdfArgon2id, b: []byte(norm.NFKC.String(s))}}
}

// KeyFile returns a secret from the contents of a key file: 32 random bytes, raw or in
// base64 (standard or URL alphabet, padded or not; surrounding whitespace ignored).
func KeyFile(contents []byte) Secret {
	s := &secretBytes{kind: kdfKeyFile}
	if len(contents) == keySize {
		s.b = bytes.Clone(contents)
		return Secret{s}
	}
	text := bytes.TrimSpace(contents)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		out := make([]byte, enc.DecodedLen(len(text)))
		n, err := enc.Decode(out, text)
		if err == nil && n == keySize {
			s.b = out[:n]
			return Secret{s}
		}
		clear(out)
	}
	s.bad = true
	return Secret{s}
}

// get returns the secret's contents; a zero Secret has none.
func (s Secret) get() secretBytes {
	if s.p == nil {
		return secretBytes{}
	}
	return *s.p
}

// clone returns a copy that owns its bytes.
func (s Secret) clone() Secret {
	c := s.get()
	c.b = bytes.Clone(c.b)
	return Secret{&c}
}

// GenerateKeyFile returns the contents of a new key file: 32 random bytes in base64 and a
// newline. Keep it off the server's disk when the server can be seized (a USB key, a
// secrets manager, an environment variable set at start).
func GenerateKeyFile() []byte {
	key := make([]byte, keySize)
	rand.Read(key) //nolint:errcheck // crypto/rand.Read never fails
	out := make([]byte, base64.StdEncoding.EncodedLen(keySize)+1)
	base64.StdEncoding.Encode(out, key)
	out[len(out)-1] = '\n'
	clear(key)
	return out
}

// Wipe overwrites the secret's bytes; the Secret cannot be used afterwards.
func (s Secret) Wipe() {
	if s.p != nil {
		clear(s.p.b)
		s.p.b = nil
	}
}

// String redacts the secret, so that it cannot leak through fmt.
func (s Secret) String() string { return "vault.Secret(redacted)" }

// GoString redacts the secret for %#v.
func (s Secret) GoString() string { return s.String() }

// LogValue redacts the secret in slog records.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// checkNew validates a secret about to become the vault's master secret.
func (s Secret) checkNew() error {
	p := s.get()
	switch {
	case p.kind == "":
		return errs.Invalid("passphrase", "vault.passphrase.too_short")
	case p.kind == kdfKeyFile && p.bad:
		return errs.Invalid("key_file", "vault.keyfile.invalid")
	case p.kind == kdfArgon2id && utf8.RuneCount(p.b) < minPassphrase:
		return errs.Invalid("passphrase", "vault.passphrase.too_short")
	case p.kind == kdfArgon2id && utf8.RuneCount(p.b) > maxPassphrase:
		return errs.Invalid("passphrase", "vault.passphrase.too_long")
	}
	return nil
}

// wrong is the error for a secret that does not open this vault.
func (s Secret) wrong() error {
	if s.get().kind == kdfKeyFile {
		return errs.Invalid("key_file", "vault.keyfile.wrong")
	}
	return errs.Invalid("passphrase", "vault.passphrase.wrong")
}

// kdfState is what the vault stores to re-derive the master key: never the key itself.
type kdfState struct {
	kind   string
	salt   []byte
	params KDFParams // zero for key files
}

// masterKey derives the master key from the secret as st says. It returns a coded invalid
// error when the secret is of the other kind or malformed.
func (s Secret) masterKey(st kdfState) ([]byte, error) {
	p := s.get()
	switch {
	case p.kind == "" || len(p.b) == 0 && !p.bad:
		return nil, errs.Invalid("passphrase", "vault.passphrase.wrong")
	case p.kind != st.kind && st.kind == kdfKeyFile:
		return nil, errs.Invalid("key_file", "vault.secret.need_keyfile")
	case p.kind != st.kind:
		return nil, errs.Invalid("passphrase", "vault.secret.need_passphrase")
	case p.bad:
		return nil, errs.Invalid("key_file", "vault.keyfile.invalid")
	}
	if st.kind == kdfKeyFile {
		// The key file is already uniformly random; HKDF binds it to this install's salt
		// and to its use, so the same file never yields the same key twice.
		k, err := hkdf.Key(sha256.New, p.b, st.salt, "solidarity vault master key v1", keySize)
		if err != nil {
			return nil, fmt.Errorf("vault: derive master key: %w", err)
		}
		return k, nil
	}
	if !st.params.valid() {
		return nil, errs.Internalf("vault: stored argon2id parameters out of bounds")
	}
	c := st.params
	return argon2.IDKey(p.b, st.salt, c.Time, c.MemoryKiB, c.Threads, keySize), nil
}

// newKDF returns fresh KDF state for a new master secret of the secret's kind.
func (v *Vault) newKDF(s Secret) kdfState {
	st := kdfState{kind: s.get().kind, salt: random(16)}
	if st.kind == kdfArgon2id {
		st.params = v.KDF
		if !st.params.valid() {
			st.params = DefaultKDF()
		}
	}
	return st
}

// random returns n bytes from the system's secure generator.
func random(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails
	return b
}
