package vault

import (
	"errors"
	"io"

	"filippo.io/age"

	"solidarity/internal/errs"
)

// identity parses this node's age identity; it fails with errs.Sealed when sealed.
func (v *Vault) identity() (*age.X25519Identity, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.keys == nil {
		return nil, errs.Sealed()
	}
	id, err := age.ParseX25519Identity(string(v.keys.file))
	if err != nil {
		return nil, errs.Internalf("vault: file identity: %w", err)
	}
	return id, nil
}

// EncryptFile returns a writer that encrypts everything written to it into dst, in the
// age format (streamed in 64 KiB authenticated chunks) for this install's identity. Close
// it to write the final chunk; dst is not closed. A file being written when the vault is
// sealed is finished with the file key it already holds.
func (v *Vault) EncryptFile(dst io.Writer) (io.WriteCloser, error) {
	id, err := v.identity()
	if err != nil {
		return nil, err
	}
	w, err := age.Encrypt(dst, id.Recipient())
	if err != nil {
		return nil, errs.Internalf("vault: encrypt file: %w", err)
	}
	return w, nil
}

// DecryptFile returns a reader of the plaintext of an age file made by EncryptFile. Each
// chunk is authenticated before it is returned: a damaged or truncated file fails with
// ErrCorrupt, at once for a damaged header, or on the Read that reaches the damage
// (so a caller streaming to a client must be ready to abort mid-way).
func (v *Vault) DecryptFile(src io.Reader) (io.Reader, error) {
	id, err := v.identity()
	if err != nil {
		return nil, err
	}
	r, err := age.Decrypt(src, id)
	if err != nil {
		return nil, corrupt(err)
	}
	return corruptReader{r}, nil
}

// corruptReader turns age's authentication failures into ErrCorrupt.
type corruptReader struct{ r io.Reader }

func (c corruptReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = corrupt(err)
	}
	return n, err
}
