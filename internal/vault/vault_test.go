package vault_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/testkit"
	"solidarity/internal/vault"
)

const goodPassphrase = "correct horse battery staple"

// open returns an initialized, unsealed vault on d, set up with a key file (fast to derive).
func open(t testing.TB, d *db.DB) (*vault.Vault, vault.Secret) {
	t.Helper()
	v := vault.New(d, testkit.Logger())
	secret := vault.KeyFile(vault.GenerateKeyFile())
	if err := v.Init(context.Background(), secret); err != nil {
		t.Fatalf("Init: %v", err)
	}
	return v, secret
}

// wantErr fails unless err is a coded error with code and (when set) key and field.
func wantErr(t *testing.T, err error, code errs.Code, key, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s %s", code, key)
	}
	e := errs.As(err)
	if e.Code != code || (key != "" && e.Key != key) || (field != "" && e.Field != field) {
		t.Fatalf("got %v, want code %s key %q field %q", err, code, key, field)
	}
}

func TestInitUnsealRoundTrip(t *testing.T) {
	raw := bytes.Repeat([]byte{7}, 32)
	cases := []struct {
		name           string
		init, reopenBy vault.Secret
	}{
		{"passphrase", vault.Passphrase(goodPassphrase), vault.Passphrase(goodPassphrase)},
		// NFKC: a full-width or composed form of the same words opens the vault.
		{"passphrase normalized", vault.Passphrase("ｃａｆé con leche y pan"), vault.Passphrase("cafe\u0301 con leche y pan")},
		{"raw key file", vault.KeyFile(raw), vault.KeyFile(raw)},
		{"key file raw then base64", vault.KeyFile(raw), vault.KeyFile([]byte("  " + base64.RawURLEncoding.EncodeToString(raw) + "\n"))},
		{"generated key file", vault.KeyFile([]byte(base64.StdEncoding.EncodeToString(raw) + "\n")), vault.KeyFile(raw)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testkit.EachDB(t, func(t *testing.T, d *db.DB) {
				ctx := context.Background()
				node1 := vault.New(d, testkit.Logger())
				if ok, err := node1.Initialized(ctx); err != nil || ok {
					t.Fatalf("Initialized before Init = %v, %v", ok, err)
				}
				if err := node1.Init(ctx, c.init); err != nil {
					t.Fatalf("Init: %v", err)
				}
				if node1.Sealed() {
					t.Fatal("sealed right after Init")
				}
				ct, err := node1.EncryptString("cases", 42, "a_number", "A-123-456-789")
				if err != nil {
					t.Fatal(err)
				}
				if bytes.Contains(ct, []byte("123-456")) {
					t.Fatal("ciphertext contains the plaintext")
				}

				// A second node on the same database starts sealed and opens with the secret.
				node2 := vault.New(d, testkit.Logger())
				if ok, err := node2.Initialized(ctx); err != nil || !ok {
					t.Fatalf("Initialized after Init = %v, %v", ok, err)
				}
				if _, err := node2.DecryptString("cases", 42, "a_number", ct); !errors.Is(err, errs.ErrSealed) {
					t.Fatalf("sealed node decrypted: %v", err)
				}
				if err := node2.Unseal(ctx, c.reopenBy); err != nil {
					t.Fatalf("Unseal: %v", err)
				}
				got, err := node2.DecryptString("cases", 42, "a_number", ct)
				if err != nil || got != "A-123-456-789" {
					t.Fatalf("Decrypt on node 2 = %q, %v", got, err)
				}
			})
		})
	}
}

func TestInitRefusesBadSecretsAndTwice(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v := vault.New(d, testkit.Logger())
		cases := []struct {
			name   string
			secret vault.Secret
			key    string
			field  string
		}{
			{"short passphrase", vault.Passphrase("eleven char"), "vault.passphrase.too_short", "passphrase"},
			{"empty passphrase", vault.Passphrase(""), "vault.passphrase.too_short", "passphrase"},
			{"no secret", vault.Secret{}, "vault.passphrase.too_short", "passphrase"},
			{"key file too short", vault.KeyFile([]byte("c2hvcnQ=")), "vault.keyfile.invalid", "key_file"},
			{"key file not base64", vault.KeyFile(bytes.Repeat([]byte("!"), 44)), "vault.keyfile.invalid", "key_file"},
		}
		for _, c := range cases {
			wantErr(t, v.Init(ctx, c.secret), errs.CodeInvalid, c.key, c.field)
		}
		if ok, _ := v.Initialized(ctx); ok {
			t.Fatal("a refused Init left the vault initialized")
		}
		if err := v.Init(ctx, vault.Passphrase("twelve chars")); err != nil {
			t.Fatalf("12-character passphrase refused: %v", err)
		}
		wantErr(t, v.Init(ctx, vault.KeyFile(vault.GenerateKeyFile())), errs.CodeConflict, "vault.already_initialized", "")
		other := vault.New(d, testkit.Logger())
		wantErr(t, other.Init(ctx, vault.Passphrase(goodPassphrase)), errs.CodeConflict, "vault.already_initialized", "")
	})
}

func TestUnsealRefusesWrongSecret(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v := vault.New(d, testkit.Logger())
		wantErr(t, v.Unseal(ctx, vault.Passphrase(goodPassphrase)), errs.CodeConflict, "vault.not_initialized", "")
		if err := v.Init(ctx, vault.Passphrase(goodPassphrase)); err != nil {
			t.Fatal(err)
		}
		node := vault.New(d, testkit.Logger())
		cases := []struct {
			name   string
			secret vault.Secret
			key    string
		}{
			{"wrong passphrase", vault.Passphrase("correct horse battery stapler"), "vault.passphrase.wrong"},
			{"empty passphrase", vault.Passphrase(""), "vault.passphrase.wrong"},
			{"key file instead", vault.KeyFile(vault.GenerateKeyFile()), "vault.secret.need_passphrase"},
		}
		for _, c := range cases {
			wantErr(t, node.Unseal(ctx, c.secret), errs.CodeInvalid, c.key, "")
			if !node.Sealed() {
				t.Fatalf("%s: node unsealed", c.name)
			}
		}

		d2 := testkit.NewDB(t, d.Dialect())
		_, secret := open(t, d2)
		node2 := vault.New(d2, testkit.Logger())
		wantErr(t, node2.Unseal(ctx, vault.KeyFile(vault.GenerateKeyFile())), errs.CodeInvalid, "vault.keyfile.wrong", "key_file")
		wantErr(t, node2.Unseal(ctx, vault.Passphrase(goodPassphrase)), errs.CodeInvalid, "vault.secret.need_keyfile", "")
		if err := node2.Unseal(ctx, secret); err != nil {
			t.Fatalf("right key file refused: %v", err)
		}
	})
}

func TestSealedVaultRefusesEverything(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v, _ := open(t, d)
		ct, err := v.Encrypt("people", 1, "phone", []byte("+15555550100"))
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Seal(ctx); err != nil {
			t.Fatalf("Seal: %v", err)
		}
		if !v.Sealed() {
			t.Fatal("not sealed after Seal")
		}
		calls := map[string]func() error{
			"Encrypt":       func() error { _, err := v.Encrypt("people", 1, "phone", []byte("x")); return err },
			"Decrypt":       func() error { _, err := v.Decrypt("people", 1, "phone", ct); return err },
			"EncryptString": func() error { _, err := v.EncryptString("people", 1, "phone", "x"); return err },
			"DecryptString": func() error { _, err := v.DecryptString("people", 1, "phone", ct); return err },
			"BlindIndex":    func() error { _, err := v.BlindIndex("phone", "+15555550100"); return err },
			"EncryptFile":   func() error { _, err := v.EncryptFile(&bytes.Buffer{}); return err },
			"DecryptFile":   func() error { _, err := v.DecryptFile(&bytes.Buffer{}); return err },
			"Rotate":        func() error { return v.Rotate(ctx) },
		}
		for name, call := range calls {
			if err := call(); !errors.Is(err, errs.ErrSealed) {
				t.Errorf("%s while sealed: %v, want errs.Sealed", name, err)
			} else if errs.As(err).Key != "error.sealed" {
				t.Errorf("%s while sealed: key %q", name, errs.As(err).Key)
			}
		}
		st, err := v.Status(ctx)
		if err != nil || !st.Sealed || !st.ClusterSealed || !st.Initialized {
			t.Fatalf("Status after Seal = %+v, %v", st, err)
		}
	})
}

func TestChangeSecret(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v := vault.New(d, testkit.Logger())
		old := vault.Passphrase(goodPassphrase)
		if err := v.Init(ctx, old); err != nil {
			t.Fatal(err)
		}
		ct, _ := v.EncryptString("reports", 9, "reporter_phone", "+15555550199")
		idx, _ := v.BlindIndex("phone", "+15555550199")

		wantErr(t, v.ChangeSecret(ctx, vault.Passphrase("not the passphrase"), vault.Passphrase("a brand new passphrase")),
			errs.CodeInvalid, "vault.passphrase.wrong", "current_passphrase")
		wantErr(t, v.ChangeSecret(ctx, old, vault.Passphrase("too short")),
			errs.CodeInvalid, "vault.passphrase.too_short", "new_passphrase")

		newKey := vault.KeyFile(vault.GenerateKeyFile())
		if err := v.ChangeSecret(ctx, old, newKey); err != nil {
			t.Fatalf("ChangeSecret: %v", err)
		}
		if got, err := v.DecryptString("reports", 9, "reporter_phone", ct); err != nil || got != "+15555550199" {
			t.Fatalf("this node after ChangeSecret: %q, %v", got, err)
		}
		node := vault.New(d, testkit.Logger())
		wantErr(t, node.Unseal(ctx, old), errs.CodeInvalid, "vault.secret.need_keyfile", "")
		if err := node.Unseal(ctx, newKey); err != nil {
			t.Fatalf("Unseal with the new secret: %v", err)
		}
		got, err := node.DecryptString("reports", 9, "reporter_phone", ct)
		if err != nil || got != "+15555550199" {
			t.Fatalf("data after ChangeSecret = %q, %v", got, err)
		}
		if again, _ := node.BlindIndex("phone", "+15555550199"); again != idx {
			t.Fatal("blind index changed with the master secret")
		}
		// And back to a passphrase: the key file no longer opens it.
		if err := node.ChangeSecret(ctx, newKey, vault.Passphrase("another long passphrase")); err != nil {
			t.Fatal(err)
		}
		wantErr(t, vault.New(d, testkit.Logger()).Unseal(ctx, vault.Passphrase(goodPassphrase)), errs.CodeInvalid, "vault.passphrase.wrong", "passphrase")
		if err := vault.New(d, testkit.Logger()).Unseal(ctx, vault.Passphrase("another long passphrase")); err != nil {
			t.Fatal(err)
		}
	})
}

func TestInitEphemeralAndStatus(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v := vault.New(d, testkit.Logger())
		st, err := v.Status(ctx)
		if err != nil || st.Initialized || !st.Sealed {
			t.Fatalf("Status before Init = %+v, %v", st, err)
		}
		if err := v.InitEphemeral(ctx); err != nil {
			t.Fatal(err)
		}
		if v.Sealed() {
			t.Fatal("ephemeral vault sealed")
		}
		if _, err := v.Encrypt("t", 1, "f", []byte("demo")); err != nil {
			t.Fatal(err)
		}
		if err := v.Rotate(ctx); err != nil {
			t.Fatal(err)
		}
		st, err = v.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Initialized || st.Sealed || st.ClusterSealed || st.KDF != "keyfile" || len(st.FieldKeys) != 2 ||
			st.FieldKeys[0].Current || !st.FieldKeys[1].Current || st.FieldKeys[1].Version != 2 {
			t.Fatalf("Status = %+v", st)
		}
		wantErr(t, v.InitEphemeral(ctx), errs.CodeConflict, "vault.already_initialized", "")
	})
}

func TestSecretNeverPrints(t *testing.T) {
	secrets := map[string]vault.Secret{
		"passphrase": vault.Passphrase(goodPassphrase),
		"key file":   vault.KeyFile([]byte("horsehorsehorsehorsehorsehorseho")),
	}
	for name, s := range secrets {
		var buf bytes.Buffer
		log := slog.New(slog.NewJSONHandler(&buf, nil))
		log.Info("unseal", "secret", s)
		holder := struct {
			Secret vault.Secret
			hidden vault.Secret
		}{s, s}
		fmt.Fprintf(&buf, "%v %+v %#v %s %x %q %v %+v", s, s, s, s, s, s, holder, holder)
		if strings.Contains(buf.String(), "horse") || strings.Contains(buf.String(), "104 111 114") {
			t.Errorf("%s leaked through fmt or slog: %s", name, buf.String())
		}
	}
}
