// Package audit keeps Solidarity's append-only, hash-chained audit log: who did what to
// which record, and when. Services write entries inside their own transactions with
// Record, so an entry exists exactly when the change it describes was committed;
// administrators read it with List and check it with Verify. It touches only the database.
//
// An entry must never carry a sensitive value (immigration status, testimony, a reporter's
// phone, an address): it names the object ("report:45") and the kind of access
// ("report.read_sensitive"), never what was read. The audit log is kept for good and is
// itself readable by administrators, so whatever goes into Detail stays there.
//
// Tamper evidence: each entry has a gapless sequence number and a SHA-256 hash over its
// own fields and the previous entry's hash; the newest sequence number and hash (the
// head) are also written to the settings table on every append. The table refuses UPDATE
// and DELETE through triggers. Verify recomputes the chain and finds a changed entry, a
// removed entry (a hole in the sequence) and a removed tail (the head no longer matches).
// The hash is not keyed, so someone with write access to the whole database could rebuild
// the entire chain and the head; only a copy of the head kept outside the database (see
// Head) catches that.
package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Entry is one thing that happened, as a service reports it.
type Entry struct {
	// Actor is who did it, as a label: "account:12", "apikey:3", "system" or "public".
	Actor string
	// ActorName is how the actor is shown to administrators (a display name, never an
	// e-mail address or phone number).
	ActorName string
	// Action is what was done, as module.verb: "auth.signin", "vault.seal",
	// "people.export", "report.read_sensitive".
	Action string
	// Object is what it was done to, as kind:id ("report:45"); empty when there is none.
	Object string
	// Detail is a short non-sensitive note or small JSON ("count=12", {"role":"staff"}).
	// NEVER put a sensitive value here: no names of affected people, contact details,
	// locations, immigration facts, testimony, passwords, tokens or IP addresses.
	Detail string
}

// Stored is an entry as the log holds it.
type Stored struct {
	Entry
	// Seq is the entry's place in the chain, starting at 1 with no gaps.
	Seq int64
	// At is the time of the transaction that wrote the entry, in UTC. Entries written by
	// concurrent transactions may be a little out of time order; Seq is the true order.
	At time.Time
	// PrevHash is the previous entry's Hash (GenesisHash for the first entry).
	PrevHash string
	// Hash is the hex SHA-256 of the entry's canonical encoding.
	Hash string
}

// GenesisHash is the PrevHash of the first entry.
var GenesisHash = strings.Repeat("0", 64)

// Limits on each field, in bytes, so that a bug cannot pour a document into the log.
const (
	maxActor     = 100
	maxActorName = 200
	maxAction    = 100
	maxObject    = 200
	maxDetail    = 2000
)

// validate reports a caller's mistake; these are programming errors, not user input.
func (e Entry) validate() error {
	fields := []struct {
		name, value string
		max         int
		required    bool
	}{
		{"actor", e.Actor, maxActor, true},
		{"actor name", e.ActorName, maxActorName, false},
		{"action", e.Action, maxAction, true},
		{"object", e.Object, maxObject, false},
		{"detail", e.Detail, maxDetail, false},
	}
	for _, f := range fields {
		switch {
		case f.required && strings.TrimSpace(f.value) == "":
			return fmt.Errorf("audit: entry has no %s", f.name)
		case len(f.value) > f.max:
			return fmt.Errorf("audit: entry %s is %d bytes, over the limit of %d", f.name, len(f.value), f.max)
		case !utf8.ValidString(f.value) || strings.ContainsRune(f.value, 0):
			return fmt.Errorf("audit: entry %s is not valid text", f.name)
		}
	}
	return nil
}

// hashVersion names the encoding; a future change of encoding gets a new tag.
const hashVersion = "solidarity.audit.v1"

// timeLayout fixes how At enters the hash: UTC, microseconds, as both databases keep it.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// computeHash returns the hex SHA-256 of the entry's canonical encoding: every field is
// written as an 8-byte big-endian length followed by its bytes, so that no two different
// entries encode alike (moving text from one field to the next changes the hash).
func computeHash(s Stored) string {
	h := sha256.New()
	for _, f := range []string{
		hashVersion,
		strconv.FormatInt(s.Seq, 10),
		s.At.UTC().Format(timeLayout),
		s.Actor,
		s.ActorName,
		s.Action,
		s.Object,
		s.Detail,
		s.PrevHash,
	} {
		writeField(h, f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeField(h hash.Hash, s string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(s)))
	h.Write(n[:])
	h.Write([]byte(s))
}
