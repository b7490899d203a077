package vault

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"time"

	"golang.org/x/crypto/chacha20poly1305"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// verifierText is sealed under the master key so that a wrong secret is told apart from
// a damaged key row; it is a fixed public value, not a secret.
const verifierText = "solidarity vault verifier v1"

// state is the vault_state row: how to derive the master key, how to check it, and the
// cluster-wide seal record that Watch follows.
type state struct {
	kdf              kdfState
	verifier         []byte
	sealed           bool  // an operator sealed every node (or none has unsealed yet)
	generation       int64 // bumped by every seal, unseal, rotation, retirement and secret change
	sealedGeneration int64 // generation of the last seal
}

// readState reads the vault_state row, or fails with vault.not_initialized.
func readState(ctx context.Context, q db.Queryer) (state, error) {
	var st state
	var t, m, p int64
	err := q.QueryRowContext(ctx, `SELECT kdf, kdf_salt, kdf_time, kdf_memory, kdf_threads, verifier,
		sealed, generation, sealed_generation FROM vault_state WHERE id = 1`).
		Scan(&st.kdf.kind, &st.kdf.salt, &t, &m, &p, &st.verifier, &st.sealed, &st.generation, &st.sealedGeneration)
	if errors.Is(err, sql.ErrNoRows) {
		return st, errs.Conflict("vault.not_initialized")
	}
	if err != nil {
		return st, errs.Internalf("vault: read state: %w", err)
	}
	if st.kdf.kind == kdfArgon2id {
		st.kdf.params = KDFParams{Time: uint32(t), MemoryKiB: uint32(m), Threads: uint8(p)}
	}
	return st, nil
}

// aeadSeal encrypts plaintext under key with XChaCha20-Poly1305 and a random nonce,
// returning header ‖ nonce ‖ ciphertext; the header is authenticated along with ad.
func aeadSeal(key, header, plaintext, ad []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("vault: cipher: %w", err)
	}
	out := make([]byte, len(header), len(header)+aead.NonceSize()+len(plaintext)+aead.Overhead())
	copy(out, header)
	out = append(out, random(aead.NonceSize())...)
	fullAD := append(append([]byte{}, header...), ad...)
	return aead.Seal(out, out[len(header):], plaintext, fullAD), nil
}

// aeadOpen reverses aeadSeal; any change to header, nonce, ciphertext or ad fails.
func aeadOpen(key []byte, headerLen int, sealed, ad []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("vault: cipher: %w", err)
	}
	if len(sealed) < headerLen+aead.NonceSize()+aead.Overhead() {
		return nil, errors.New("vault: ciphertext too short")
	}
	header := sealed[:headerLen]
	nonce := sealed[headerLen : headerLen+aead.NonceSize()]
	fullAD := append(append([]byte{}, header...), ad...)
	return aead.Open(nil, nonce, sealed[headerLen+aead.NonceSize():], fullAD)
}

// keyAD names a wrapped key's purpose and version, so a wrapped key cannot be passed off
// as another (the blind-index key as a field key, version 1 as version 2).
func keyAD(purpose string, version uint32) []byte {
	return []byte("solidarity/vault/key\x00" + purpose + "\x00" + strconv.FormatUint(uint64(version), 10))
}

// wrapKey seals a data key under the master key.
func wrapKey(kek []byte, purpose string, version uint32, key []byte) ([]byte, error) {
	return aeadSeal(kek, nil, key, keyAD(purpose, version))
}

// unwrapKey opens a wrapped data key.
func unwrapKey(kek []byte, purpose string, version uint32, wrapped []byte) ([]byte, error) {
	return aeadOpen(kek, 0, wrapped, keyAD(purpose, version))
}

// newVerifier seals the fixed verifier text under the master key.
func newVerifier(kek []byte) ([]byte, error) {
	return aeadSeal(kek, nil, []byte(verifierText), []byte("solidarity/vault/verifier"))
}

// verify reports whether kek is the master key the verifier was sealed under.
func verify(kek, verifier []byte) bool {
	got, err := aeadOpen(kek, 0, verifier, []byte("solidarity/vault/verifier"))
	return err == nil && subtle.ConstantTimeCompare(got, []byte(verifierText)) == 1
}

// wrappedKey is one vault_keys row.
type wrappedKey struct {
	purpose string
	version uint32
	wrapped []byte
	created time.Time
}

// readKeys reads every wrapped key, oldest version first.
func readKeys(ctx context.Context, q db.Queryer) ([]wrappedKey, error) {
	rows, err := q.QueryContext(ctx, "SELECT purpose, version, wrapped, created_at FROM vault_keys ORDER BY purpose, version")
	if err != nil {
		return nil, errs.Internalf("vault: read keys: %w", err)
	}
	defer rows.Close()
	var out []wrappedKey
	for rows.Next() {
		var k wrappedKey
		var version int64
		if err := rows.Scan(&k.purpose, &version, &k.wrapped, &k.created); err != nil {
			return nil, errs.Internalf("vault: read keys: %w", err)
		}
		k.version = uint32(version)
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Internalf("vault: read keys: %w", err)
	}
	return out, nil
}

// loadKeys unwraps every stored key under kek into a keyring that takes ownership of kek.
func loadKeys(ctx context.Context, q db.Queryer, kek []byte, generation int64) (*keyring, error) {
	wrapped, err := readKeys(ctx, q)
	if err != nil {
		return nil, err
	}
	k := &keyring{generation: generation, kek: kek, field: map[uint32][]byte{}}
	for _, w := range wrapped {
		key, err := unwrapKey(kek, w.purpose, w.version, w.wrapped)
		if err != nil {
			k.kek = nil // the caller still owns kek on failure
			k.wipe()
			return nil, errs.Internalf("vault: %s key version %d does not unwrap (damaged row?): %w", w.purpose, w.version, err)
		}
		switch w.purpose {
		case purposeField:
			k.field[w.version] = key
			k.current = max(k.current, w.version)
		case purposeBlind:
			k.blind = key
		case purposeFile:
			k.file = key
		}
	}
	if k.current == 0 || k.blind == nil || k.file == nil {
		k.kek = nil
		k.wipe()
		return nil, errs.Internalf("vault: key rows missing")
	}
	return k, nil
}

// insertKey wraps key under kek and stores it.
func insertKey(ctx context.Context, tx *db.Tx, kek []byte, purpose string, version uint32, key []byte) error {
	w, err := wrapKey(kek, purpose, version, key)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO vault_keys (purpose, version, wrapped, created_at) VALUES (?, ?, ?, ?)",
		purpose, int64(version), w, tx.Now)
	if err != nil {
		return errs.Internalf("vault: store %s key: %w", purpose, err)
	}
	return nil
}

// bumpGeneration records a change every node must notice and returns the new generation.
func bumpGeneration(ctx context.Context, tx *db.Tx) (int64, error) {
	var g int64
	err := tx.QueryRowContext(ctx, "UPDATE vault_state SET generation = generation + 1, updated_at = ? WHERE id = 1 RETURNING generation", tx.Now).Scan(&g)
	if err != nil {
		return 0, errs.Internalf("vault: record change: %w", err)
	}
	return g, nil
}

// versionHeader is the first bytes of every field ciphertext: format and key version.
func versionHeader(version uint32) []byte {
	h := make([]byte, headerLen)
	h[0] = formatV1
	binary.BigEndian.PutUint32(h[1:], version)
	return h
}
