package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// tokenBytes is the entropy of every bearer secret auth hands out: session tokens,
// invitation and reset links, API keys. At 256 bits a plain SHA-256 of the token is safe
// to store: there is nothing to guess, so no slow hash is needed.
const tokenBytes = 32

// randomToken returns 32 random bytes, base64url without padding (43 characters).
func randomToken() string {
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is what the database keeps instead of a token.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// wellFormed reports whether s looks like a token randomToken made, so that garbage is
// refused before it reaches the database.
func wellFormed(s string) bool {
	if len(s) != 43 {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0
}
