package people

import (
	"context"
	"fmt"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// DuplicateReason says why two people look like the same person.
type DuplicateReason string

// The reasons.
const (
	SameNameZIP    DuplicateReason = "same_name_zip"    // the same name (ignoring case and accents) in the same ZIP
	SimilarNameZIP DuplicateReason = "similar_name_zip" // names that sound alike in the same ZIP
)

// DuplicatePair is two people the review page offers to merge.
type DuplicatePair struct {
	A, B   Summary
	Reason DuplicateReason
}

// DuplicatePage is one page of likely duplicates.
type DuplicatePage struct {
	Pairs []DuplicatePair
	// Next is the cursor of the following page; "" on the last page.
	Next string
}

// LikelyDuplicates lists pairs of people in the same ZIP whose names are the same or sound
// alike (a phonetic code of family and given name), that nobody dismissed. People with the
// same e-mail or phone cannot be two: Upsert and import already keep them as one. Pages
// go by the first person's id.
func (s *Service) LikelyDuplicates(ctx context.Context, actor auth.Actor, cursor string, limit int) (DuplicatePage, error) {
	if err := actor.Require(auth.PermPeopleRead); err != nil {
		return DuplicatePage{}, err
	}
	limit = pageSize(limit)
	var after, afterB int64
	if cursor != "" {
		c, err := decodeCursor(cursor)
		if err != nil {
			return DuplicatePage{}, err
		}
		after = c.ID
		fmt.Sscan(c.Value, &afterB)
	}
	type pair struct {
		a, b     int64
		sameName bool
	}
	var pairs []pair
	err := eachRow(ctx, s.db, `SELECT a.id, b.id, a.name_key = b.name_key FROM people a
		JOIN people b ON b.zip = a.zip AND b.sound_key = a.sound_key AND b.id > a.id
		WHERE a.zip <> '' AND a.sound_key <> ':' AND (a.id > ? OR (a.id = ? AND b.id > ?))
		AND NOT EXISTS (SELECT 1 FROM duplicate_dismissals d WHERE d.a_id = a.id AND d.b_id = b.id)
		ORDER BY a.id, b.id LIMIT ?`, []any{after, after, afterB, limit + 1}, func(scan func(...any) error) error {
		var p pair
		err := scan(&p.a, &p.b, &p.sameName)
		pairs = append(pairs, p)
		return err
	})
	if err != nil {
		return DuplicatePage{}, coded(err)
	}
	var page DuplicatePage
	if len(pairs) > limit {
		pairs = pairs[:limit]
		last := pairs[limit-1]
		page.Next = encodeCursor(cursorValue{Value: idString(last.b), ID: last.a})
	}
	var ids []int64
	for _, p := range pairs {
		ids = append(ids, p.a, p.b)
	}
	sums, err := summaries(ctx, s.db, ids)
	if err != nil {
		return DuplicatePage{}, coded(err)
	}
	for _, p := range pairs {
		reason := SimilarNameZIP
		if p.sameName {
			reason = SameNameZIP
		}
		page.Pairs = append(page.Pairs, DuplicatePair{A: sums[p.a], B: sums[p.b], Reason: reason})
	}
	return page, nil
}

// DismissDuplicate records that two people are not the same, so the review page stops
// offering them.
func (s *Service) DismissDuplicate(ctx context.Context, actor auth.Actor, a, b int64) error {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return err
	}
	if a == b {
		return errs.Invalid("b", "people.merge.same")
	}
	if a > b {
		a, b = b, a
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO duplicate_dismissals (a_id, b_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", a, b, tx.Now)
		if db.IsForeignKey(err) {
			return errs.NotFound("people.person.not_found")
		}
		if err != nil {
			return fmt.Errorf("people: dismiss duplicate: %w", err)
		}
		return nil
	})
}
