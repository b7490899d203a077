package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"solidarity/internal/db"
)

// headKey is the settings row holding the newest entry's seq and hash ("seq:hash").
const headKey = "audit.head"

// errBadHead reports a head value that is not "seq:hash".
var errBadHead = errors.New("audit: the stored head is malformed")

// chainLock is the PostgreSQL advisory lock that makes app nodes append one at a time.
const chainLock = 7_402_211_902

// Record appends e to the log inside the caller's transaction, stamped with tx.Now. It
// holds the chain until tx ends (on PostgreSQL through an advisory lock, on SQLite through
// the single writer), so call it late in the transaction.
func Record(ctx context.Context, tx *db.Tx, e Entry) error {
	if err := e.validate(); err != nil {
		return err
	}
	if tx.Dialect() == db.Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", int64(chainLock)); err != nil {
			return fmt.Errorf("audit: lock the chain: %w", err)
		}
	}
	seq, prev, err := appendPoint(ctx, tx)
	if err != nil {
		return err
	}
	s := Stored{Entry: e, Seq: seq + 1, At: tx.Now, PrevHash: prev}
	s.Hash = computeHash(s)
	if _, err := tx.ExecContext(ctx,
		"INSERT INTO audit_log (seq, at, actor, actor_name, action, object, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		s.Seq, s.At, s.Actor, s.ActorName, s.Action, s.Object, s.Detail, s.PrevHash, s.Hash); err != nil {
		return fmt.Errorf("audit: append %s: %w", e.Action, err)
	}
	if _, err := tx.ExecContext(ctx,
		"INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
		headKey, formatHead(s.Seq, s.Hash), tx.Now); err != nil {
		return fmt.Errorf("audit: move the head: %w", err)
	}
	return nil
}

// RecordNow appends e in a transaction of its own, for events with no other change to
// commit (a failed sign-in, an export download).
func RecordNow(ctx context.Context, d *db.DB, e Entry) error {
	return d.InTx(ctx, func(tx *db.Tx) error { return Record(ctx, tx, e) })
}

// appendPoint returns the seq and hash the next entry follows. The stored head wins over
// the table when it is ahead, so that after someone removes the newest entries the next
// one leaves a hole that Verify reports instead of quietly reusing their numbers. The
// table wins when the head is missing or behind, so that auditing never stops.
func appendPoint(ctx context.Context, tx *db.Tx) (int64, string, error) {
	var tableSeq int64
	tableHash := GenesisHash
	err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&tableSeq, &tableHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("audit: read the newest entry: %w", err)
	}
	headSeq, headHash, found, err := readHead(ctx, tx)
	if err != nil && !errors.Is(err, errBadHead) { // a malformed head: Verify reports it, the log goes on
		return 0, "", err
	}
	if found && headSeq > tableSeq {
		return headSeq, headHash, nil
	}
	return tableSeq, tableHash, nil
}

// Head returns the newest entry's seq and hash as recorded on the last append (0 and
// GenesisHash for an empty log). Copying it somewhere outside the database (a printed
// report, an operator's notes, another system) lets a later Verify against that copy catch
// even an attacker who rewrote the whole database.
func Head(ctx context.Context, q db.Queryer) (seq int64, hash string, err error) {
	seq, hash, found, err := readHead(ctx, q)
	if err != nil {
		return 0, "", err
	}
	if !found {
		return 0, GenesisHash, nil
	}
	return seq, hash, nil
}

func readHead(ctx context.Context, q db.Queryer) (seq int64, hash string, found bool, err error) {
	var v string
	err = q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", headKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", false, nil
	}
	if err != nil {
		return 0, "", false, fmt.Errorf("audit: read the head: %w", err)
	}
	seq, hash, err = parseHead(v)
	if err != nil {
		return 0, "", false, err
	}
	return seq, hash, true, nil
}

func formatHead(seq int64, hash string) string { return strconv.FormatInt(seq, 10) + ":" + hash }

func parseHead(v string) (int64, string, error) {
	s, h, ok := strings.Cut(v, ":")
	seq, err := strconv.ParseInt(s, 10, 64)
	if !ok || err != nil || seq < 1 || len(h) != len(GenesisHash) {
		return 0, "", errBadHead
	}
	return seq, h, nil
}
