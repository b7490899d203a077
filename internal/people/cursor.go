package people

import (
	"encoding/base64"
	"encoding/json"

	"solidarity/internal/errs"
)

// cursorValue is where a keyset page ends: the sort value and id of its last row.
type cursorValue struct {
	Sort  string `json:"s,omitempty"`
	Value string `json:"v"`
	ID    int64  `json:"i"`
}

// encodeCursor makes an opaque, URL-safe cursor. It is not secret: it only says where a
// page ends, and a tampered one just starts a page elsewhere.
func encodeCursor(c cursorValue) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursorValue, error) {
	var c cursorValue
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 1000 || json.Unmarshal(b, &c) != nil {
		return c, errs.Invalid("cursor", "people.cursor.invalid")
	}
	return c, nil
}
