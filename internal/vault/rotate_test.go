package vault_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/jobs"
	"solidarity/internal/testkit"
	"solidarity/internal/vault"
)

// notesTable creates a table with two encrypted columns and n rows, returning the
// plaintext of each row by id.
func notesTable(t *testing.T, d *db.DB, v *vault.Vault, n int) map[int64]string {
	t.Helper()
	ctx := context.Background()
	ddl := "CREATE TABLE vault_test_notes (id INTEGER PRIMARY KEY, note BLOB, other BLOB)"
	if d.Dialect() == db.Postgres {
		ddl = "CREATE TABLE vault_test_notes (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note BYTEA, other BYTEA)"
	}
	if _, err := d.ExecContext(ctx, ddl); err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{}
	err := d.InTx(ctx, func(tx *db.Tx) error {
		for i := range n {
			id, err := tx.Insert(ctx, "INSERT INTO vault_test_notes (note) VALUES (NULL)")
			if err != nil {
				return err
			}
			if i%5 == 4 {
				continue // some rows have no value at all
			}
			text := fmt.Sprintf("note %d: detained at the county jail", i)
			note, err := v.EncryptString("vault_test_notes", id, "note", text)
			if err != nil {
				return err
			}
			other, err := v.EncryptString("vault_test_notes", id, "other", "other "+text)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE vault_test_notes SET note = ?, other = ? WHERE id = ?", note, other, id); err != nil {
				return err
			}
			want[id] = text
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// checkNotes reads every row back through v and returns the key versions found.
func checkNotes(t *testing.T, d *db.DB, v *vault.Vault, want map[int64]string) []uint32 {
	t.Helper()
	rows, err := d.QueryContext(context.Background(), "SELECT id, note, other FROM vault_test_notes WHERE note IS NOT NULL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var versions []uint32
	n := 0
	for rows.Next() {
		var id int64
		var note, other []byte
		if err := rows.Scan(&id, &note, &other); err != nil {
			t.Fatal(err)
		}
		n++
		got, err := v.DecryptString("vault_test_notes", id, "note", note)
		if err != nil || got != want[id] {
			t.Fatalf("row %d note = %q, %v", id, got, err)
		}
		if got, err := v.DecryptString("vault_test_notes", id, "other", other); err != nil || got != "other "+want[id] {
			t.Fatalf("row %d other = %q, %v", id, got, err)
		}
		for _, ct := range [][]byte{note, other} {
			if ver := binary.BigEndian.Uint32(ct[1:5]); !slices.Contains(versions, ver) {
				versions = append(versions, ver)
			}
		}
	}
	if n != len(want) {
		t.Fatalf("read %d rows, want %d", n, len(want))
	}
	slices.Sort(versions)
	return versions
}

func fieldVersions(t *testing.T, v *vault.Vault) []uint32 {
	t.Helper()
	st, err := v.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []uint32
	for _, k := range st.FieldKeys {
		out = append(out, k.Version)
	}
	return out
}

func TestRotateReencryptRetire(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v, secret := open(t, d)
		v.RegisterField("vault_test_notes", "id", "note")
		v.RegisterField("vault_test_notes", "id", "other")
		v.RegisterField("vault_test_notes", "id", "note") // registering twice is harmless
		want := notesTable(t, d, v, 23)
		oldValue, _ := v.EncryptString("elsewhere", 1, "x", "kept outside any registered column")

		if err := v.Rotate(ctx); err != nil {
			t.Fatal(err)
		}
		if got := checkNotes(t, d, v, want); !slices.Equal(got, []uint32{1}) {
			t.Fatalf("versions before Reencrypt = %v", got)
		}
		v.RetireGrace = 0
		if retired, _, err := v.Retire(ctx); err != nil || len(retired) != 0 {
			t.Fatalf("Retire while version 1 is in use: %v, %v", retired, err)
		}

		done, err := v.Reencrypt(ctx, 7)
		if err != nil || done != 2*len(want) {
			t.Fatalf("Reencrypt = %d, %v; want %d", done, err, 2*len(want))
		}
		if got := checkNotes(t, d, v, want); !slices.Equal(got, []uint32{2}) {
			t.Fatalf("versions after Reencrypt = %v", got)
		}
		if done, err := v.Reencrypt(ctx, 7); err != nil || done != 0 {
			t.Fatalf("second Reencrypt = %d, %v", done, err)
		}

		// Another node, unsealed before the retirement, forgets version 1 too.
		node := vault.New(d, testkit.Logger())
		if err := node.Unseal(ctx, secret); err != nil {
			t.Fatal(err)
		}
		retired, wait, err := v.Retire(ctx)
		if err != nil || !slices.Equal(retired, []uint32{1}) || wait != 0 {
			t.Fatalf("Retire = %v, %v, %v", retired, wait, err)
		}
		if got := fieldVersions(t, v); !slices.Equal(got, []uint32{2}) {
			t.Fatalf("stored versions = %v", got)
		}
		checkNotes(t, d, v, want)
		if err := node.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		for name, n := range map[string]*vault.Vault{"this node": v, "other node": node} {
			if _, err := n.DecryptString("elsewhere", 1, "x", oldValue); !errors.Is(err, vault.ErrCorrupt) {
				t.Errorf("%s still reads a retired key's value: %v", name, err)
			}
		}
		checkNotes(t, d, node, want)
	})
}

func TestRetireWaitsForGraceAndSkipsDamagedRows(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
		d.Clock = func() time.Time { return now }
		v, _ := open(t, d)
		v.RegisterField("vault_test_notes", "id", "note")
		want := notesTable(t, d, v, 6)
		// A damaged value under version 1 cannot be moved, and keeps version 1 alive.
		var damagedID int64
		for id := range want {
			damagedID = id
			break
		}
		if _, err := d.ExecContext(ctx, "UPDATE vault_test_notes SET note = ? WHERE id = ?",
			append([]byte{1, 0, 0, 0, 1}, bytes.Repeat([]byte{9}, 41)...), damagedID); err != nil {
			t.Fatal(err)
		}
		delete(want, damagedID)
		if err := v.Rotate(ctx); err != nil {
			t.Fatal(err)
		}
		done, err := v.Reencrypt(ctx, 2)
		if err == nil || done != len(want) {
			t.Fatalf("Reencrypt with a damaged row = %d, %v; want %d and an error", done, err, len(want))
		}
		retired, wait, err := v.Retire(ctx)
		if err != nil || len(retired) != 0 || wait != 10*time.Minute {
			t.Fatalf("Retire inside the grace period = %v, %v, %v", retired, wait, err)
		}
		now = now.Add(11 * time.Minute)
		if retired, wait, err := v.Retire(ctx); err != nil || len(retired) != 0 || wait != 0 {
			t.Fatalf("Retire with a damaged row under version 1 = %v, %v, %v", retired, wait, err)
		}
		if _, err := d.ExecContext(ctx, "UPDATE vault_test_notes SET note = NULL WHERE id = ?", damagedID); err != nil {
			t.Fatal(err)
		}
		if retired, _, err := v.Retire(ctx); err != nil || !slices.Equal(retired, []uint32{1}) {
			t.Fatalf("Retire after the damaged row is gone = %v, %v", retired, err)
		}
	})
}

func TestRegisterFieldRefusesNonIdentifiers(t *testing.T) {
	v := vault.New(nil, testkit.Logger())
	for _, bad := range []string{"", "notes; DROP TABLE x", "Notes", "1st", "a-b", `"q"`} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("RegisterField accepted %q", bad)
				}
			}()
			v.RegisterField("notes", "id", bad)
		}()
	}
	if len(v.Fields()) != 0 {
		t.Fatalf("fields = %v", v.Fields())
	}
}

func TestReencryptJobAfterRotate(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v, _ := open(t, d)
		v.RetireGrace = 0
		v.RegisterField("vault_test_notes", "id", "note")
		v.RegisterField("vault_test_notes", "id", "other")
		want := notesTable(t, d, v, 12)

		q := jobs.New(d, testkit.Logger())
		q.PollInterval = 50 * time.Millisecond
		v.RegisterJobs(q)
		if err := q.Build(); err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer func() {
			sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			_ = q.Stop(sctx)
		}()
		if err := v.Rotate(ctx); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the vault.reencrypt job moves every row and retires version 1", func() bool {
			return slices.Equal(fieldVersions(t, v), []uint32{2})
		})
		if got := checkNotes(t, d, v, want); !slices.Equal(got, []uint32{2}) {
			t.Fatalf("versions after the job = %v", got)
		}
	})
}
