package people

import (
	"context"

	"solidarity/internal/auth"
	"solidarity/internal/db"
)

// CreateOrUpdate adds a person that staff entered, following the dedupe rule: when one of
// the input's e-mails (then phones) already belongs to someone, that person is updated as
// Upsert does (non-empty values replace, e-mails, phones and tags are added) and the
// result says Created false, so that the page can send staff to them. Unlike Upsert, a
// name is required, and a new person gets the "added" timeline entry that Create writes.
func (s *Service) CreateOrUpdate(ctx context.Context, actor auth.Actor, in PersonInput) (UpsertResult, error) {
	if err := actor.Require(auth.PermPeopleWrite); err != nil {
		return UpsertResult{}, err
	}
	fields, err := s.prepare(ctx, s.db, &in, true)
	if err != nil {
		return UpsertResult{}, err
	}
	var res UpsertResult
	err = s.inTx(ctx, func(tx *db.Tx) error {
		var err error
		if res, err = s.upsert(ctx, tx, in, fields, viaFor(actor), false); err != nil || !res.Created {
			return err
		}
		return s.AddEvent(ctx, tx, res.ID, NewEvent{Kind: "person.created", SummaryKey: "people.timeline.created",
			Data: map[string]any{"via": viaFor(actor)}, Source: "people"})
	})
	return res, err
}
