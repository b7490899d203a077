package vault

import (
	"context"
	"errors"

	"filippo.io/age"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Initialized reports whether this install's vault has been set up.
func (v *Vault) Initialized(ctx context.Context) (bool, error) {
	var n int
	if err := v.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM vault_state").Scan(&n); err != nil {
		return false, errs.Internalf("vault: read state: %w", err)
	}
	return n > 0, nil
}

// Init sets the vault up with the operator's master secret (a passphrase of at least 12
// characters, or a key file), creates the data keys, and leaves this node — and the
// cluster record — unsealed. It fails with vault.already_initialized when it was set up
// before, on this node or any other.
func (v *Vault) Init(ctx context.Context, secret Secret) error {
	if err := secret.checkNew(); err != nil {
		return err
	}
	if ok, err := v.Initialized(ctx); err != nil {
		return err
	} else if ok {
		return errs.Conflict("vault.already_initialized")
	}
	kdf := v.newKDF(secret)
	kek, err := secret.masterKey(kdf)
	if err != nil {
		return err
	}
	verifier, err := newVerifier(kek)
	if err != nil {
		clear(kek)
		return err
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		clear(kek)
		return errs.Internalf("vault: file identity: %w", err)
	}
	ring := &keyring{generation: 1, kek: kek, current: 1,
		field: map[uint32][]byte{1: random(keySize)}, blind: random(keySize), file: []byte(id.String())}
	err = v.db.InTx(ctx, func(tx *db.Tx) error {
		p := kdf.params
		_, err := tx.ExecContext(ctx, `INSERT INTO vault_state (id, kdf, kdf_salt, kdf_time, kdf_memory, kdf_threads,
			verifier, sealed, generation, sealed_generation, created_at, updated_at)
			VALUES (1, ?, ?, ?, ?, ?, ?, FALSE, 1, 0, ?, ?)`,
			kdf.kind, kdf.salt, int64(p.Time), int64(p.MemoryKiB), int64(p.Threads), verifier, tx.Now, tx.Now)
		if db.IsUnique(err) {
			return errs.Conflict("vault.already_initialized")
		} else if err != nil {
			return errs.Internalf("vault: store state: %w", err)
		}
		for _, k := range []struct {
			purpose string
			key     []byte
		}{{purposeField, ring.field[1]}, {purposeBlind, ring.blind}, {purposeFile, ring.file}} {
			if err := insertKey(ctx, tx, kek, k.purpose, 1, k.key); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		ring.wipe()
		return err
	}
	v.mu.Lock()
	v.install(ring)
	v.mu.Unlock()
	v.log.Info("vault initialized", "kdf", kdf.kind)
	return nil
}

// InitEphemeral sets the vault up with a random key held only in this process and
// unseals it, for demo mode: once the process ends (or the vault is sealed) nothing can
// read the data again, which is what a throwaway demo wants.
func (v *Vault) InitEphemeral(ctx context.Context) error {
	key := random(keySize)
	secret := KeyFile(key)
	clear(key)
	defer secret.Wipe()
	return v.Init(ctx, secret)
}

// Unseal opens the vault on this node with the master secret. A wrong secret fails with
// vault.passphrase.wrong (vault.keyfile.wrong for key files). When the cluster record
// says sealed, it is reopened, so other nodes with an automatic-unseal secret follow.
func (v *Vault) Unseal(ctx context.Context, secret Secret) error {
	return v.unseal(ctx, secret, true)
}

// unseal opens this node; reopen also clears the cluster's seal record.
func (v *Vault) unseal(ctx context.Context, secret Secret, reopen bool) error {
	st, err := readState(ctx, v.db)
	if err != nil {
		return err
	}
	kek, err := secret.masterKey(st.kdf)
	if err != nil {
		return err
	}
	if !verify(kek, st.verifier) {
		clear(kek)
		return secret.wrong()
	}
	ring, err := loadKeys(ctx, v.db, kek, st.generation)
	if err != nil {
		clear(kek)
		return err
	}
	if reopen && st.sealed {
		// The ring keeps the generation it was loaded at, so the next Watch poll reloads
		// if anything (a rotation) slipped in between the read above and this write.
		_, err := v.db.ExecContext(ctx, "UPDATE vault_state SET sealed = FALSE, generation = generation + 1, updated_at = ? WHERE id = 1", v.db.Now())
		if err != nil {
			ring.wipe()
			return errs.Internalf("vault: record unseal: %w", err)
		}
	}
	v.mu.Lock()
	v.install(ring)
	v.mu.Unlock()
	v.log.Info("vault unsealed", "reopened", reopen && st.sealed)
	return nil
}

// Seal drops this node's keys from memory at once (overwriting them) and records the seal
// in the database, so that every other node running Watch seals too. The keys are gone
// even when recording fails; the error then says the other nodes may not have followed.
func (v *Vault) Seal(ctx context.Context) error {
	v.mu.Lock()
	was := v.drop()
	v.mu.Unlock()
	_, err := v.db.ExecContext(ctx, `UPDATE vault_state SET sealed = TRUE, generation = generation + 1,
		sealed_generation = generation + 1, updated_at = ? WHERE id = 1`, v.db.Now())
	if err != nil {
		v.log.Error("vault sealed here but the seal could not be recorded for other nodes", "err", err)
		return errs.Internalf("vault: record seal: %w", err)
	}
	v.log.Warn("vault sealed", "was_unsealed", was)
	return nil
}

// ChangeSecret replaces the master secret: every data key is re-wrapped under the new
// master key in one transaction; the data itself is untouched. The old secret must open
// the vault (errors name the field current_passphrase or current_key_file); the new one
// must be a valid new secret (new_passphrase, new_key_file). Nodes unsealed with the old
// secret seal themselves on their next Watch poll unless they hold the new one.
func (v *Vault) ChangeSecret(ctx context.Context, old, new Secret) error {
	if err := new.checkNew(); err != nil {
		return prefixField(err, "new_")
	}
	st, err := readState(ctx, v.db)
	if err != nil {
		return err
	}
	oldKEK, err := old.masterKey(st.kdf)
	if err != nil {
		return prefixField(err, "current_")
	}
	defer clear(oldKEK)
	if !verify(oldKEK, st.verifier) {
		return prefixField(old.wrong(), "current_")
	}
	kdf := v.newKDF(new)
	newKEK, err := new.masterKey(kdf)
	if err != nil {
		return prefixField(err, "new_")
	}
	verifier, err := newVerifier(newKEK)
	if err != nil {
		clear(newKEK)
		return err
	}
	var gen int64
	err = v.db.InTx(ctx, func(tx *db.Tx) error {
		cur, err := readState(ctx, tx)
		if err != nil {
			return err
		}
		if !verify(oldKEK, cur.verifier) { // changed by someone else meanwhile
			return prefixField(old.wrong(), "current_")
		}
		keys, err := readKeys(ctx, tx)
		if err != nil {
			return err
		}
		for _, k := range keys {
			key, err := unwrapKey(oldKEK, k.purpose, k.version, k.wrapped)
			if err != nil {
				return errs.Internalf("vault: %s key version %d does not unwrap: %w", k.purpose, k.version, err)
			}
			w, err := wrapKey(newKEK, k.purpose, k.version, key)
			clear(key)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE vault_keys SET wrapped = ? WHERE purpose = ? AND version = ?",
				w, k.purpose, int64(k.version)); err != nil {
				return errs.Internalf("vault: re-wrap key: %w", err)
			}
		}
		p := kdf.params
		err = tx.QueryRowContext(ctx, `UPDATE vault_state SET kdf = ?, kdf_salt = ?, kdf_time = ?, kdf_memory = ?,
			kdf_threads = ?, verifier = ?, generation = generation + 1, updated_at = ? WHERE id = 1 RETURNING generation`,
			kdf.kind, kdf.salt, int64(p.Time), int64(p.MemoryKiB), int64(p.Threads), verifier, tx.Now).Scan(&gen)
		if err != nil {
			return errs.Internalf("vault: store new secret: %w", err)
		}
		return nil
	})
	if err != nil {
		clear(newKEK)
		return err
	}
	v.mu.Lock()
	if v.keys != nil {
		clear(v.keys.kek)
		v.keys.kek = newKEK
	} else {
		clear(newKEK)
	}
	v.mu.Unlock()
	v.log.Warn("vault master secret changed", "kdf", kdf.kind, "generation", gen)
	return nil
}

// prefixField renames the field of an invalid-input error, for forms with two secrets.
func prefixField(err error, prefix string) error {
	var e *errs.Error
	if errors.As(err, &e) && e.Code == errs.CodeInvalid && e.Field != "" {
		return &errs.Error{Code: e.Code, Key: e.Key, Field: prefix + e.Field, Cause: e.Cause}
	}
	return err
}
