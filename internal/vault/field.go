package vault

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"

	"solidarity/internal/errs"
)

// Field ciphertext layout: format (1 byte) ‖ key version (4 bytes, big-endian) ‖ nonce
// (24 bytes) ‖ XChaCha20-Poly1305 ciphertext and tag. 45 bytes of overhead in all.
const (
	formatV1  = 1
	headerLen = 5
)

// fieldAD binds a ciphertext to the table, record id and field it was written for, each
// length-prefixed so that no two different triples share associated data.
func fieldAD(table string, id int64, field string) []byte {
	ad := make([]byte, 0, 32+len(table)+len(field))
	ad = append(ad, "solidarity/field\x00"...)
	ad = binary.AppendUvarint(ad, uint64(len(table)))
	ad = append(ad, table...)
	ad = binary.BigEndian.AppendUint64(ad, uint64(id))
	ad = binary.AppendUvarint(ad, uint64(len(field)))
	return append(ad, field...)
}

// Encrypt seals a sensitive value for one field of one record with the current field key.
// The record must have its id already (insert the row, then write the ciphertext in the
// same transaction); field is the column name the value is stored in, so that registered
// columns can be re-encrypted. It fails with errs.Sealed when this node is sealed.
func (v *Vault) Encrypt(table string, id int64, field string, plaintext []byte) ([]byte, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	k := v.keys
	if k == nil {
		return nil, errs.Sealed()
	}
	return aeadSeal(k.field[k.current], versionHeader(k.current), plaintext, fieldAD(table, id, field))
}

// Decrypt opens a value sealed by Encrypt for the same table, id and field, with whichever
// key version sealed it. A ciphertext that was changed, or copied to another record or
// field, fails with ErrCorrupt; a sealed node fails with errs.Sealed.
func (v *Vault) Decrypt(table string, id int64, field string, ciphertext []byte) ([]byte, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	k := v.keys
	if k == nil {
		return nil, errs.Sealed()
	}
	version, err := keyVersion(ciphertext)
	if err != nil {
		return nil, corrupt(err)
	}
	key, ok := k.field[version]
	if !ok {
		return nil, corrupt(fmt.Errorf("vault: field key version %d is not available", version))
	}
	plain, err := aeadOpen(key, headerLen, ciphertext, fieldAD(table, id, field))
	if err != nil {
		return nil, corrupt(fmt.Errorf("vault: %s.%s of record %d does not authenticate", table, field, id))
	}
	return plain, nil
}

// keyVersion reads the key version from a field ciphertext's header.
func keyVersion(ciphertext []byte) (uint32, error) {
	if len(ciphertext) < headerLen {
		return 0, errors.New("vault: ciphertext too short")
	}
	if ciphertext[0] != formatV1 {
		return 0, fmt.Errorf("vault: unknown ciphertext format %d", ciphertext[0])
	}
	return binary.BigEndian.Uint32(ciphertext[1:headerLen]), nil
}

// EncryptString is Encrypt for text.
func (v *Vault) EncryptString(table string, id int64, field, plaintext string) ([]byte, error) {
	return v.Encrypt(table, id, field, []byte(plaintext))
}

// DecryptString is Decrypt for text.
func (v *Vault) DecryptString(table string, id int64, field string, ciphertext []byte) (string, error) {
	b, err := v.Decrypt(table, id, field, ciphertext)
	if err != nil {
		return "", err
	}
	s := string(b)
	clear(b)
	return s, nil
}

// BlindIndex returns the keyed HMAC-SHA256 of a normalized value (a phone number in E.164,
// a lower-cased e-mail address, an A-number without punctuation), in unpadded base64url
// (43 characters), for exact lookups and dedupe without storing the value in the clear.
// The same value gives the same index within one field of one install only: field
// separates the domains, and each install has its own key. Normalizing is the caller's
// job, since only the module knows what makes two values the same. It fails with
// errs.Sealed when this node is sealed.
func (v *Vault) BlindIndex(field string, normalized string) (string, error) {
	if field == "" {
		return "", errs.Internalf("vault: blind index without a field name")
	}
	v.mu.RLock()
	defer v.mu.RUnlock()
	k := v.keys
	if k == nil {
		return "", errs.Sealed()
	}
	mac := hmac.New(sha256.New, k.blind)
	prefix := append([]byte("solidarity/blind\x00"), binary.AppendUvarint(nil, uint64(len(field)))...)
	mac.Write(prefix)
	mac.Write([]byte(field))
	mac.Write([]byte(normalized))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)), nil
}
