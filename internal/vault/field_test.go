package vault_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
	"solidarity/internal/vault"
)

func TestCiphertextBoundToRecordAndField(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		v, _ := open(t, d)
		ct, err := v.EncryptString("cases", 7, "immigration_status", "undocumented")
		if err != nil {
			t.Fatal(err)
		}
		again, _ := v.EncryptString("cases", 7, "immigration_status", "undocumented")
		if bytes.Equal(ct, again) {
			t.Fatal("two encryptions of one value are equal: nonce reused")
		}
		if len(ct) != len("undocumented")+45 {
			t.Errorf("ciphertext is %d bytes, want plaintext+45", len(ct))
		}
		cases := []struct {
			name  string
			table string
			id    int64
			field string
		}{
			{"other record", "cases", 8, "immigration_status"},
			{"other field", "cases", 7, "notes"},
			{"other table", "people", 7, "immigration_status"},
			{"negative id", "cases", -7, "immigration_status"},
			// Length prefixes keep the boundary between table and field.
			{"shifted boundary", "case", 7, "simmigration_status"},
		}
		for _, c := range cases {
			_, err := v.DecryptString(c.table, c.id, c.field, ct)
			if !errors.Is(err, vault.ErrCorrupt) {
				t.Errorf("%s: Decrypt = %v, want ErrCorrupt", c.name, err)
			}
			if err != nil && strings.Contains(err.Error(), "undocumented") {
				t.Errorf("%s: error carries the plaintext: %v", c.name, err)
			}
		}
		if got, err := v.DecryptString("cases", 7, "immigration_status", ct); err != nil || got != "undocumented" {
			t.Fatalf("right binding: %q, %v", got, err)
		}
		// Empty values round-trip too.
		empty, err := v.Encrypt("cases", 7, "notes", nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := v.Decrypt("cases", 7, "notes", empty); err != nil || len(got) != 0 {
			t.Fatalf("empty value: %q, %v", got, err)
		}
	})
}

func TestTamperedCiphertextFails(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		v, _ := open(t, d)
		ct, err := v.EncryptString("reports", 1, "location", "1400 Main St")
		if err != nil {
			t.Fatal(err)
		}
		flip := func(i int) []byte {
			c := bytes.Clone(ct)
			c[i] ^= 0x01
			return c
		}
		cases := map[string][]byte{
			"format byte":     flip(0),
			"key version":     flip(4),
			"nonce":           flip(10),
			"body":            flip(30),
			"tag":             flip(len(ct) - 1),
			"truncated":       ct[:len(ct)-1],
			"header only":     ct[:5],
			"empty":           nil,
			"appended":        append(bytes.Clone(ct), 0),
			"unknown version": append([]byte{1, 0, 0, 0, 9}, ct[5:]...),
		}
		for name, bad := range cases {
			_, err := v.Decrypt("reports", 1, "location", bad)
			if !errors.Is(err, vault.ErrCorrupt) {
				t.Errorf("%s: Decrypt = %v, want ErrCorrupt", name, err)
			} else if errs.As(err).Key != "vault.ciphertext.invalid" {
				t.Errorf("%s: key %q", name, errs.As(err).Key)
			}
		}
	})
}

func TestBlindIndex(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		v, _ := open(t, d)
		idx := func(v *vault.Vault, field, value string) string {
			t.Helper()
			s, err := v.BlindIndex(field, value)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		phone := idx(v, "phone", "+15555550100")
		if len(phone) != 43 || strings.ContainsAny(phone, "+/=") || strings.Contains(phone, "5555550100") {
			t.Fatalf("index %q is not 43 characters of base64url", phone)
		}
		if idx(v, "phone", "+15555550100") != phone {
			t.Fatal("same value, same field: index differs")
		}
		if idx(v, "phone", "+15555550101") == phone {
			t.Fatal("different values share an index")
		}
		if idx(v, "sms_phone", "+15555550100") == phone {
			t.Fatal("same value in another field shares an index")
		}
		// Field/value boundaries are unambiguous.
		if idx(v, "ab", "c") == idx(v, "a", "bc") {
			t.Fatal("field and value boundary is ambiguous")
		}
		// Another node of the same install agrees; another install does not.
		node := vault.New(d, testkit.Logger())
		other, _ := open(t, testkit.NewDB(t, d.Dialect()))
		if idx(other, "phone", "+15555550100") == phone {
			t.Fatal("two installs share a blind index")
		}
		if _, err := node.BlindIndex("phone", "+15555550100"); !errors.Is(err, errs.ErrSealed) {
			t.Fatalf("sealed node: %v", err)
		}
		if _, err := v.BlindIndex("", "x"); errs.CodeOf(err) != errs.CodeInternal {
			t.Fatalf("empty field name: %v", err)
		}
	})
}

func TestBlindIndexSameAcrossNodes(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		v, secret := open(t, d)
		node := vault.New(d, testkit.Logger())
		if err := node.Unseal(context.Background(), secret); err != nil {
			t.Fatal(err)
		}
		a, _ := v.BlindIndex("email", "ana@example.org")
		b, _ := node.BlindIndex("email", "ana@example.org")
		if a != b || a == "" {
			t.Fatalf("two nodes disagree: %q vs %q", a, b)
		}
	})
}
