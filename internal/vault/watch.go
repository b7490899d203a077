package vault

import (
	"context"
	"errors"
	"time"

	"solidarity/internal/errs"
)

// SetAutoUnseal gives this node a secret (typically a key file or an environment
// variable read at start) to unseal itself from whenever the cluster record says the vault
// is open: on the first Watch poll, and again after another node unseals following a
// seal. It never overrides an operator's seal. The vault keeps its own copy.
func (v *Vault) SetAutoUnseal(secret Secret) {
	c := secret.clone()
	v.mu.Lock()
	defer v.mu.Unlock()
	v.auto.Wipe()
	v.auto = c
	v.tried = -1
}

// Watch follows the cluster's seal record until ctx ends, polling the database every
// `every`: when another node sealed, this node drops its keys; when keys were rotated or
// retired elsewhere, it reloads them; when the master secret was changed elsewhere, it
// seals itself; and when the vault is open but this node is sealed and has an
// automatic-unseal secret, it unseals from it (once per change, so a stale secret does
// not burn an argon2id derivation on every poll). Run it in its own goroutine.
func (v *Vault) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := v.Refresh(ctx); err != nil && ctx.Err() == nil {
			v.log.Warn("vault watch", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Refresh runs one Watch poll: it brings this node in line with the cluster's seal record.
func (v *Vault) Refresh(ctx context.Context) error {
	v.mu.RLock()
	seen := v.installs
	v.mu.RUnlock()
	st, err := readState(ctx, v.db)
	if err != nil && !errors.Is(err, errs.ErrConflict) {
		return err
	}
	v.mu.Lock()
	if v.installs != seen {
		// This node installed keys (Init, Unseal) after the record was read: it may
		// predate them. The next poll reads it again.
		v.mu.Unlock()
		return nil
	}
	if err != nil { // not initialized: there can be no keys
		v.drop()
		v.mu.Unlock()
		return nil
	}
	if k := v.keys; k != nil {
		switch {
		case st.sealed || st.sealedGeneration > k.generation:
			v.drop()
			v.log.Warn("vault sealed: another node sealed it")
		case st.generation != k.generation:
			if !verify(k.kek, st.verifier) {
				v.drop()
				v.log.Warn("vault sealed: the master secret was changed on another node; unseal with the new one")
				break
			}
			ring, err := loadKeys(ctx, v.db, k.kek, st.generation)
			if err != nil {
				v.mu.Unlock()
				return err
			}
			k.kek = nil // now owned by ring
			v.install(ring)
		}
	}
	var auto Secret
	if v.keys == nil && !st.sealed && v.auto.p != nil && v.tried != st.generation {
		auto = v.auto.clone()
		v.tried = st.generation
	}
	v.mu.Unlock()
	if auto.p == nil {
		return nil
	}
	defer auto.Wipe()
	// The derivation runs outside the lock; a seal racing with it is caught next poll,
	// because the keys carry the generation they were loaded at.
	if err := v.unseal(ctx, auto, false); err != nil {
		return errs.Internalf("vault: automatic unseal failed: %w", err)
	}
	return nil
}
