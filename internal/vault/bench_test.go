package vault_test

import (
	"testing"

	"solidarity/internal/db"
	"solidarity/internal/testkit"
)

// A typical sensitive field: a short case note.
var benchValue = []byte("Detained on 11/28 at the county jail; hearing set for 12/15, needs a Spanish interpreter.")

func BenchmarkEncryptField(b *testing.B) {
	v, _ := open(b, testkit.NewDB(b, db.SQLite))
	b.SetBytes(int64(len(benchValue)))
	for i := int64(0); b.Loop(); i++ {
		if _, err := v.Encrypt("cases", i, "notes", benchValue); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecryptField(b *testing.B) {
	v, _ := open(b, testkit.NewDB(b, db.SQLite))
	ct, err := v.Encrypt("cases", 1, "notes", benchValue)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(benchValue)))
	for b.Loop() {
		if _, err := v.Decrypt("cases", 1, "notes", ct); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlindIndex(b *testing.B) {
	v, _ := open(b, testkit.NewDB(b, db.SQLite))
	for b.Loop() {
		if _, err := v.BlindIndex("phone", "+15555550100"); err != nil {
			b.Fatal(err)
		}
	}
}
