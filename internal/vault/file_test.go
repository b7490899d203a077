package vault_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/testkit"
	"solidarity/internal/vault"
)

func TestFileRoundTripAndTamper(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		v, _ := open(t, d)
		// 5 MB of testimony audio stand-in, streamed through in odd-sized writes.
		plain := make([]byte, 5<<20)
		r := rand.New(rand.NewPCG(1, 2))
		for i := range plain {
			plain[i] = byte(r.Uint32())
		}
		var sealed bytes.Buffer
		w, err := v.EncryptFile(&sealed)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.CopyBuffer(w, bytes.NewReader(plain), make([]byte, 12345)); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(sealed.Bytes(), plain[1000:1064]) {
			t.Fatal("encrypted file contains plaintext")
		}
		out, err := v.DecryptFile(bytes.NewReader(sealed.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(out)
		if err != nil {
			t.Fatal(err)
		}
		if sha256.Sum256(got) != sha256.Sum256(plain) {
			t.Fatalf("round trip: got %d bytes, different content", len(got))
		}

		ct := sealed.Bytes()
		flip := func(i int) []byte {
			c := bytes.Clone(ct)
			c[i] ^= 0x80
			return c
		}
		cases := map[string][]byte{
			"header":       flip(40),
			"middle chunk": flip(len(ct) / 2),
			"last byte":    flip(len(ct) - 1),
			"truncated":    ct[:len(ct)-1000],
			"cut at chunk": ct[:len(ct)/2],
			"empty":        nil,
		}
		for name, bad := range cases {
			r, err := v.DecryptFile(bytes.NewReader(bad))
			if err == nil {
				_, err = io.ReadAll(r)
			}
			if !errors.Is(err, vault.ErrCorrupt) {
				t.Errorf("%s: got %v, want ErrCorrupt", name, err)
			}
		}

		// Another install cannot read it.
		other, _ := open(t, testkit.NewDB(t, d.Dialect()))
		if _, err := other.DecryptFile(bytes.NewReader(ct)); !errors.Is(err, vault.ErrCorrupt) {
			t.Errorf("other install: %v", err)
		}
	})
}
