package audit

import (
	"context"
	"errors"
	"fmt"

	"solidarity/internal/db"
)

// Why Verify found the chain broken.
const (
	// ReasonMissing: the entry with this seq is gone (a hole in the sequence).
	ReasonMissing = "missing"
	// ReasonUnlinked: the entry's prev_hash is not the previous entry's hash.
	ReasonUnlinked = "unlinked"
	// ReasonAltered: the entry's fields no longer match its hash.
	ReasonAltered = "altered"
	// ReasonTruncated: entries from this seq on were removed from the end of the log.
	ReasonTruncated = "truncated"
	// ReasonHead: the stored head is missing, malformed or names a different entry.
	ReasonHead = "head"
)

// BrokenError reports the first place where the audit chain does not hold.
type BrokenError struct {
	Seq    int64  // the first entry found missing or wrong
	Reason string // one of the Reason constants
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("audit: chain broken at entry %d: %s", e.Seq, e.Reason)
}

// Verify recomputes the whole chain, oldest first, and returns how many entries it
// checked. The first entry that is missing, altered or unlinked, or a tail cut off after
// the stored head, gives a *BrokenError naming its seq; other errors are database
// failures.
func Verify(ctx context.Context, q db.Queryer) (count int, err error) {
	// The head is read before the entries: entries appended in between only lengthen the
	// chain, so a busy log never looks truncated.
	headSeq, headHash, headFound, err := readHead(ctx, q)
	if errors.Is(err, errBadHead) {
		return 0, &BrokenError{Seq: 0, Reason: ReasonHead}
	}
	if err != nil {
		return 0, err
	}
	rows, err := q.QueryContext(ctx, "SELECT seq, at, actor, actor_name, action, object, detail, prev_hash, hash FROM audit_log ORDER BY seq")
	if err != nil {
		return 0, fmt.Errorf("audit: verify: %w", err)
	}
	defer rows.Close()
	prev := Stored{Hash: GenesisHash}
	for rows.Next() {
		var s Stored
		if err := rows.Scan(&s.Seq, &s.At, &s.Actor, &s.ActorName, &s.Action, &s.Object, &s.Detail, &s.PrevHash, &s.Hash); err != nil {
			return count, fmt.Errorf("audit: verify: read entry after %d: %w", prev.Seq, err)
		}
		switch {
		case s.Seq != prev.Seq+1:
			return count, &BrokenError{Seq: prev.Seq + 1, Reason: ReasonMissing}
		case s.PrevHash != prev.Hash:
			return count, &BrokenError{Seq: s.Seq, Reason: ReasonUnlinked}
		case computeHash(s) != s.Hash:
			return count, &BrokenError{Seq: s.Seq, Reason: ReasonAltered}
		case headFound && s.Seq == headSeq && s.Hash != headHash:
			return count, &BrokenError{Seq: s.Seq, Reason: ReasonHead}
		}
		count++
		prev = s
	}
	if err := rows.Err(); err != nil {
		return count, fmt.Errorf("audit: verify: %w", err)
	}
	switch {
	case headFound && prev.Seq < headSeq:
		return count, &BrokenError{Seq: prev.Seq + 1, Reason: ReasonTruncated}
	case !headFound && count > 0:
		return count, &BrokenError{Seq: prev.Seq, Reason: ReasonHead}
	}
	return count, nil
}
