package response

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// subscriberToken returns 256 random bits, base64url without padding (43 characters): a
// confirmation or leave link's secret. At that size a plain SHA-256 is safe to store.
func subscriberToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// subscriberTokenHash is what the database keeps of a token.
func subscriberTokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// subscriberTokenWellFormed reports whether s looks like a token subscriberToken made, so
// that junk is refused without a query.
func subscriberTokenWellFormed(s string) bool {
	return len(s) == 43 && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0
}
