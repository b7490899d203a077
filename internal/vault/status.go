package vault

import (
	"context"
	"errors"
	"time"

	"solidarity/internal/errs"
)

// KeyVersion describes one stored field-key version; never the key.
type KeyVersion struct {
	Version   uint32
	CreatedAt time.Time
	Current   bool // new values are encrypted with it
}

// Status is what an operator may know about the vault: nothing secret.
type Status struct {
	Initialized   bool
	Sealed        bool      // this node holds no keys
	ClusterSealed bool      // an operator's seal is recorded for every node
	KDF           string    // "argon2id" (passphrase) or "keyfile"
	KDFParams     KDFParams // argon2id cost; zero for key files
	FieldKeys     []KeyVersion
	Generation    int64 // changes with every seal, unseal, rotation, retirement and secret change
}

// Status reports the vault's state, sealed or not.
func (v *Vault) Status(ctx context.Context) (Status, error) {
	s := Status{Sealed: v.Sealed()}
	st, err := readState(ctx, v.db)
	if errors.Is(err, errs.ErrConflict) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	s.Initialized, s.ClusterSealed, s.KDF, s.KDFParams, s.Generation = true, st.sealed, st.kdf.kind, st.kdf.params, st.generation
	keys, err := readKeys(ctx, v.db)
	if err != nil {
		return s, err
	}
	for _, k := range keys {
		if k.purpose == purposeField {
			s.FieldKeys = append(s.FieldKeys, KeyVersion{Version: k.version, CreatedAt: k.created})
		}
	}
	if n := len(s.FieldKeys); n > 0 {
		s.FieldKeys[n-1].Current = true
	}
	return s, nil
}
