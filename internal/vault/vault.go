// Package vault keeps Solidarity's sensitive data unreadable without the operator's master
// secret: the key hierarchy (a master key from a passphrase or key file, never stored,
// wrapping the data keys stored in the database), seal and unseal across app nodes, field
// encryption bound to its record and field, blind indexes for lookups, encrypted files,
// secret changes, key rotation and background re-encryption. It touches only its own tables
// (vault_state, vault_keys) and, for re-encryption, the columns modules register with it.
//
// Keys live in memory only while the vault is unsealed and are overwritten on Seal. That is
// best effort in Go: the runtime may have copied key bytes (stack growth, the AEAD and HMAC
// states built per call, the parsed age identity), and those copies are only reclaimed by
// the garbage collector, never wiped. What is guaranteed is that no key or plaintext is
// ever written to the database, a log or an error.
package vault

import (
	"log/slog"
	"sync"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/jobs"
)

// keySize is the size of the master key and of every symmetric data key.
const keySize = 32

// Key purposes, as stored in vault_keys.purpose and bound into each key's wrapping.
const (
	purposeField = "field" // field-encryption keys, versioned; the highest version is current
	purposeBlind = "blind" // the blind-index key
	purposeFile  = "file"  // the age X25519 identity for files
)

// Kinds of master secret, as stored in vault_state.kdf.
const (
	kdfArgon2id = "argon2id"
	kdfKeyFile  = "keyfile"
)

// ErrCorrupt matches (with errors.Is) every failure to open a ciphertext: it was damaged,
// moved to another record or field, or sealed under a key version that no longer exists.
var ErrCorrupt = &errs.Error{Code: errs.CodeInternal, Key: "vault.ciphertext.invalid"}

// corrupt returns the coded error for an unreadable ciphertext; cause carries no plaintext.
func corrupt(cause error) error {
	return &errs.Error{Code: errs.CodeInternal, Key: ErrCorrupt.Key, Cause: cause}
}

// Vault is the key holder of one app node. It is safe for concurrent use.
type Vault struct {
	db  *db.DB
	log *slog.Logger

	// RetireGrace is how long an old field-key version is kept after a newer one was made
	// before it may be retired, so that nodes still encrypting with it (they notice a
	// rotation within their Watch interval) cannot write data that nothing can read.
	RetireGrace time.Duration
	// KDF is the argon2id cost used when a passphrase is set (Init, ChangeSecret); the
	// cost each install was set up with is stored with it and used to unseal.
	KDF KDFParams

	mu    sync.RWMutex
	keys  *keyring // nil while sealed on this node
	auto  Secret   // secret to unseal from when another node unseals
	tried int64    // generation of the last automatic unseal attempt
	// installs counts keyrings installed, so that a Watch poll whose read of the seal
	// record raced with an Init or Unseal on this node does not act on the older record.
	installs uint64

	fieldsMu sync.Mutex
	fields   []Field
	queue    *jobs.Queue
}

// New returns the vault of this node, sealed until Unseal (or Init) succeeds.
func New(d *db.DB, log *slog.Logger) *Vault {
	return &Vault{db: d, log: log, RetireGrace: 10 * time.Minute, KDF: DefaultKDF(), tried: -1}
}

// Sealed reports whether this node holds no keys, so sensitive data can be neither read
// nor written here.
func (v *Vault) Sealed() bool {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.keys == nil
}

// keyring is the unwrapped key material of an unsealed node.
type keyring struct {
	generation int64             // vault_state.generation the keys were loaded at
	kek        []byte            // master key, to wrap new keys (Rotate) and reload
	field      map[uint32][]byte // field-encryption keys by version
	current    uint32            // version new ciphertexts use
	blind      []byte            // blind-index key
	file       []byte            // age identity, in its text form (AGE-SECRET-KEY-1…)
}

// wipe overwrites every key the ring holds.
func (k *keyring) wipe() {
	if k == nil {
		return
	}
	clear(k.kek)
	for _, b := range k.field {
		clear(b)
	}
	clear(k.blind)
	clear(k.file)
	k.field = nil
}

// install replaces this node's keys, wiping the ones it held; callers hold v.mu.
func (v *Vault) install(k *keyring) {
	if v.keys != nil && v.keys != k {
		v.keys.wipe()
	}
	v.keys = k
	v.installs++
}

// drop seals this node only: keys are wiped and forgotten; callers hold v.mu. It reports
// whether the node was unsealed.
func (v *Vault) drop() bool {
	if v.keys == nil {
		return false
	}
	v.keys.wipe()
	v.keys = nil
	return true
}
