package vault

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Field names a column that holds field ciphertexts (BLOB on SQLite, BYTEA on PostgreSQL),
// with the integer id column of its table. Values must have been written with
// Encrypt(Table, id, Column, …): the column name is the field bound into each ciphertext.
type Field struct {
	Table    string
	IDColumn string
	Column   string
}

// RegisterField tells the vault that table.column holds field ciphertexts keyed by
// idColumn, so that Reencrypt moves it to the current key and Retire knows which key
// versions are still in use. Modules call it at start-up, before jobs start. The names
// are spliced into SQL, so it panics unless each is a plain lower-case SQL identifier —
// they come from code, never from input.
func (v *Vault) RegisterField(table, idColumn, column string) {
	for _, name := range []string{table, idColumn, column} {
		if !isIdent(name) {
			panic(fmt.Sprintf("vault: RegisterField: %q is not a plain SQL identifier", name))
		}
	}
	f := Field{Table: table, IDColumn: idColumn, Column: column}
	v.fieldsMu.Lock()
	defer v.fieldsMu.Unlock()
	if !slices.Contains(v.fields, f) {
		v.fields = append(v.fields, f)
	}
}

// Fields returns the registered encrypted columns.
func (v *Vault) Fields() []Field {
	v.fieldsMu.Lock()
	defer v.fieldsMu.Unlock()
	return slices.Clone(v.fields)
}

// isIdent reports whether s is a lower-case SQL identifier that needs no quoting.
func isIdent(s string) bool {
	if s == "" || len(s) > 63 || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Rotate makes a new field key the current one: values written from now on use it, older
// versions stay for reading. When jobs are registered (RegisterJobs), a vault.reencrypt
// job is enqueued in the same transaction to move every registered column to the new key
// and then retire the old versions. Fails with errs.Sealed when this node is sealed.
func (v *Vault) Rotate(ctx context.Context) error {
	v.mu.RLock()
	if v.keys == nil {
		v.mu.RUnlock()
		return errs.Sealed()
	}
	kek := bytes.Clone(v.keys.kek)
	v.mu.RUnlock()
	defer clear(kek)

	key := random(keySize)
	var version uint32
	err := v.db.InTx(ctx, func(tx *db.Tx) error {
		st, err := readState(ctx, tx)
		if err != nil {
			return err
		}
		if !verify(kek, st.verifier) {
			return errs.Conflict("vault.secret.changed")
		}
		var last int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM vault_keys WHERE purpose = ?", purposeField).Scan(&last); err != nil {
			return errs.Internalf("vault: rotate: %w", err)
		}
		version = uint32(last) + 1
		if err := insertKey(ctx, tx, kek, purposeField, version, key); err != nil {
			return err
		}
		if _, err := bumpGeneration(ctx, tx); err != nil {
			return err
		}
		if v.queue != nil {
			return v.queue.Enqueue(ctx, tx, ReencryptArgs{}, nil)
		}
		return nil
	})
	if err != nil {
		clear(key)
		return err
	}
	v.mu.Lock()
	if v.keys != nil {
		v.keys.field[version] = key
		v.keys.current = max(v.keys.current, version)
	} else {
		clear(key)
	}
	v.mu.Unlock()
	v.log.Info("vault field key rotated", "version", version)
	return nil
}

// currentVersion returns the field key version this node encrypts with.
func (v *Vault) currentVersion() (uint32, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.keys == nil {
		return 0, errs.Sealed()
	}
	return v.keys.current, nil
}

// latestVersion returns the newest field key version in the database.
func latestVersion(ctx context.Context, q db.Queryer) (uint32, error) {
	var last int64
	if err := q.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM vault_keys WHERE purpose = ?", purposeField).Scan(&last); err != nil {
		return 0, errs.Internalf("vault: latest key version: %w", err)
	}
	return uint32(last), nil
}
