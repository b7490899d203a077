package vault

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/testkit"
)

const leakPassphrase = "the river remembers every name"

// needles returns every secret of v's keyring, raw and in the usual text encodings.
func needles(t *testing.T, v *Vault) map[string][]byte {
	t.Helper()
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.keys == nil {
		t.Fatal("vault sealed")
	}
	out := map[string][]byte{"passphrase": []byte(leakPassphrase)}
	add := func(name string, b []byte) {
		out[name] = bytes.Clone(b)
		out[name+" hex"] = []byte(hex.EncodeToString(b))
		out[name+" base64"] = []byte(base64.StdEncoding.EncodeToString(b)[:40])
		out[name+" base64url"] = []byte(base64.RawURLEncoding.EncodeToString(b)[:40])
	}
	add("master key", v.keys.kek)
	add("blind key", v.keys.blind)
	for ver, k := range v.keys.field {
		add(fmt.Sprintf("field key v%d", ver), k)
	}
	out["file identity"] = bytes.Clone(v.keys.file)
	return out
}

// The sensitive value, the passphrase and every key stay out of the SQLite files, before
// and after the database is closed (and its write-ahead log checkpointed).
func TestNothingInTheClearOnDisk(t *testing.T) {
	ctx := context.Background()
	d := testkit.NewDB(t, db.SQLite)
	v := New(d, testkit.Logger())
	if err := v.Init(ctx, Passphrase(leakPassphrase)); err != nil {
		t.Fatal(err)
	}
	const secret = "A-987-654-321 hides at 12 Calle Esperanza"
	if _, err := d.ExecContext(ctx, "CREATE TABLE leak_test (id INTEGER PRIMARY KEY, a_number BLOB, a_number_idx TEXT)"); err != nil {
		t.Fatal(err)
	}
	err := d.InTx(ctx, func(tx *db.Tx) error {
		id, err := tx.Insert(ctx, "INSERT INTO leak_test (a_number) VALUES (NULL)")
		if err != nil {
			return err
		}
		ct, err := v.EncryptString("leak_test", id, "a_number", secret)
		if err != nil {
			return err
		}
		idx, err := v.BlindIndex("a_number", "A987654321")
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE leak_test SET a_number = ?, a_number_idx = ? WHERE id = ?", ct, idx, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	find := needles(t, v)
	find["plaintext"] = []byte(secret)
	find["plaintext part"] = []byte("Calle Esperanza")
	find["plaintext number"] = []byte("987-654-321")
	find["normalized number"] = []byte("A987654321")

	scan := func(when string) {
		scanned := 0
		for _, suffix := range []string{"", "-wal", "-shm"} {
			raw, err := os.ReadFile(d.Path() + suffix)
			if os.IsNotExist(err) {
				continue
			} else if err != nil {
				t.Fatal(err)
			}
			scanned += len(raw)
			for name, needle := range find {
				if bytes.Contains(raw, needle) {
					t.Errorf("%s: %s found in %s", when, name, "solidarity.db"+suffix)
				}
			}
		}
		if scanned == 0 {
			t.Fatalf("%s: no database bytes scanned", when)
		}
	}
	if _, err := os.Stat(d.Path() + "-wal"); err != nil {
		t.Fatalf("expected a write-ahead log while open: %v", err)
	}
	scan("open")
	if err := v.Seal(ctx); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	scan("closed")
}

// No table of either database holds the passphrase, the master key or a data key in any
// usual encoding, including after a rotation and a secret change.
func TestMasterKeyInNoTable(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v := New(d, testkit.Logger())
		if err := v.Init(ctx, Passphrase(leakPassphrase)); err != nil {
			t.Fatal(err)
		}
		find := needles(t, v)
		if err := v.Rotate(ctx); err != nil {
			t.Fatal(err)
		}
		keyFile := GenerateKeyFile()
		if err := v.ChangeSecret(ctx, Passphrase(leakPassphrase), KeyFile(keyFile)); err != nil {
			t.Fatal(err)
		}
		if err := v.Refresh(ctx); err != nil || v.Sealed() {
			t.Fatalf("after ChangeSecret: sealed %v, %v", v.Sealed(), err)
		}
		for name, b := range needles(t, v) {
			find["after change: "+name] = b
		}
		raw := KeyFile(keyFile).get().b
		find["key file"] = bytes.TrimSpace(keyFile)
		find["key file raw"] = raw
		find["key file hex"] = []byte(hex.EncodeToString(raw))
		dumpAndCheck(t, d, find)
	})
}

// dumpAndCheck reads every column of every table and fails on any needle.
func dumpAndCheck(t *testing.T, d *db.DB, find map[string][]byte) {
	t.Helper()
	ctx := context.Background()
	list := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if d.Dialect() == db.Postgres {
		list = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	rows, err := d.QueryContext(ctx, list)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	seen := map[string]bool{}
	for _, table := range tables {
		rows, err := d.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.RawBytes, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			seen[table] = true
			for i, val := range vals {
				for name, needle := range find {
					if bytes.Contains(val, needle) {
						t.Errorf("%s found in %s.%s", name, table, cols[i])
					}
				}
			}
		}
		rows.Close()
	}
	if !seen["vault_state"] || !seen["vault_keys"] {
		t.Fatalf("vault tables not scanned: %v", seen)
	}
}
