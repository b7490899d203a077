package response

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/people"
)

// Responders lists every responder, in name order, for the staff pages.
func (s *Service) Responders(ctx context.Context, actor auth.Actor) ([]Responder, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return nil, err
	}
	list, err := responderQuery(ctx, s.db, "")
	return list, coded(err)
}

// Responder returns one responder, for the staff pages.
func (s *Service) Responder(ctx context.Context, actor auth.Actor, id int64) (Responder, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return Responder{}, err
	}
	r, err := responderLoad(ctx, s.db, id)
	return r, coded(err)
}

// AddResponder makes a person of the network a responder. The person is picked by id or
// e-mail address; a person can be a responder once.
func (s *Service) AddResponder(ctx context.Context, actor auth.Actor, in ResponderInput) (Responder, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return Responder{}, err
	}
	f, verr := in.validate()
	var l errs.List
	if verr != nil {
		l = append(l, errs.Fields(verr)...)
	}
	personID, email, ok := responderPersonRef(in.Person)
	if !ok {
		l.Add("person", "response_dispatch.responder.person_required")
	}
	if err := l.Err(); err != nil {
		return Responder{}, err
	}
	var id int64
	err := s.inTx(ctx, func(tx *db.Tx) error {
		pid, err := responderFindPerson(ctx, tx, personID, email)
		if err != nil {
			return err
		}
		account, err := responderFindAccount(ctx, tx, in.Account)
		if err != nil {
			return err
		}
		id, err = tx.Insert(ctx, `INSERT INTO response_responders
			(person_id, account_id, trained_on, languages, channel, on_call, time_zone, zips, counties, hours, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			pid, account, f.trainedOn, strings.Join(f.languages, ","), string(in.Channel), in.OnCall, in.TimeZone,
			strings.Join(f.zips, ","), strings.Join(f.counties, ","), encodeHours(f.hours), tx.Now, tx.Now)
		if err != nil {
			return responderConflict(err)
		}
		return record(ctx, tx, actor, "response.responder.add", responderObject(id), "person="+strconv.FormatInt(pid, 10))
	})
	if err != nil {
		return Responder{}, err
	}
	return s.Responder(ctx, actor, id)
}

// UpdateResponder replaces a responder's dispatch details (the person stays the same).
func (s *Service) UpdateResponder(ctx context.Context, actor auth.Actor, id int64, in ResponderInput) (Responder, error) {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return Responder{}, err
	}
	f, err := in.validate()
	if err != nil {
		return Responder{}, err
	}
	err = s.inTx(ctx, func(tx *db.Tx) error {
		account, err := responderFindAccount(ctx, tx, in.Account)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE response_responders SET account_id = ?, trained_on = ?, languages = ?, channel = ?,
			on_call = ?, time_zone = ?, zips = ?, counties = ?, hours = ?, updated_at = ? WHERE id = ?`,
			account, f.trainedOn, strings.Join(f.languages, ","), string(in.Channel), in.OnCall, in.TimeZone,
			strings.Join(f.zips, ","), strings.Join(f.counties, ","), encodeHours(f.hours), tx.Now, id)
		if err != nil {
			return responderConflict(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFound("response_dispatch.responder.not_found")
		}
		return record(ctx, tx, actor, "response.responder.update", responderObject(id), "on_call="+strconv.FormatBool(in.OnCall))
	})
	if err != nil {
		return Responder{}, err
	}
	return s.Responder(ctx, actor, id)
}

// RemoveResponder takes a person off the responders. Their past requests stay on the
// reports, without them, and their links stop working.
func (s *Service) RemoveResponder(ctx context.Context, actor auth.Actor, id int64) error {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM response_responders WHERE id = ?", id)
		if err != nil {
			return fmt.Errorf("response: remove responder: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFound("response_dispatch.responder.not_found")
		}
		return record(ctx, tx, actor, "response.responder.remove", responderObject(id), "")
	})
}

// SetResponderOnCall turns a responder's on-call toggle, for staff.
func (s *Service) SetResponderOnCall(ctx context.Context, actor auth.Actor, id int64, on bool) error {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error { return responderSetOnCall(ctx, tx, actor, id, on) })
}

// OwnResponder returns the responder record linked to the signed-in account; not found
// when there is none.
func (s *Service) OwnResponder(ctx context.Context, actor auth.Actor) (Responder, error) {
	if err := actor.Require(auth.PermResponseRespond); err != nil {
		return Responder{}, err
	}
	if actor.Kind != auth.KindAccount {
		return Responder{}, errs.NotFound("response_dispatch.own.none")
	}
	list, err := responderQuery(ctx, s.db, "WHERE r.account_id = ?", actor.ID)
	if err != nil {
		return Responder{}, coded(err)
	}
	if len(list) == 0 {
		return Responder{}, errs.NotFound("response_dispatch.own.none")
	}
	return list[0], nil
}

// SetOwnOnCall turns the on-call toggle of the responder linked to the signed-in account.
func (s *Service) SetOwnOnCall(ctx context.Context, actor auth.Actor, on bool) error {
	r, err := s.OwnResponder(ctx, actor)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error { return responderSetOnCall(ctx, tx, actor, r.ID, on) })
}

func responderSetOnCall(ctx context.Context, tx *db.Tx, actor auth.Actor, id int64, on bool) error {
	res, err := tx.ExecContext(ctx, "UPDATE response_responders SET on_call = ?, updated_at = ? WHERE id = ?", on, tx.Now, id)
	if err != nil {
		return fmt.Errorf("response: on call: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.NotFound("response_dispatch.responder.not_found")
	}
	return record(ctx, tx, actor, "response.responder.on_call", responderObject(id), "on_call="+strconv.FormatBool(on))
}

// responderFindPerson returns the id of the person picked by id or e-mail address.
func responderFindPerson(ctx context.Context, q db.Queryer, id int64, email string) (int64, error) {
	var err error
	if email != "" {
		err = q.QueryRowContext(ctx, "SELECT person_id FROM person_emails WHERE email = ?", email).Scan(&id)
	} else {
		err = q.QueryRowContext(ctx, "SELECT id FROM people WHERE id = ?", id).Scan(&id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errs.Invalid("person", "response_dispatch.responder.person_unknown")
	}
	if err != nil {
		return 0, fmt.Errorf("response: find person: %w", err)
	}
	return id, nil
}

// responderFindAccount returns the id of the staff account with that e-mail address, which
// must be able to respond; nil for "".
func responderFindAccount(ctx context.Context, q db.Queryer, email string) (any, error) {
	if strings.TrimSpace(email) == "" {
		return nil, nil
	}
	e, ok := people.NormalizeEmail(email)
	if !ok {
		return nil, errs.Invalid("account", "response_dispatch.responder.account_unknown")
	}
	var id int64
	var role string
	err := q.QueryRowContext(ctx, "SELECT id, role FROM accounts WHERE email = ? AND disabled = FALSE", e).Scan(&id, &role)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.Invalid("account", "response_dispatch.responder.account_unknown")
	}
	if err != nil {
		return nil, fmt.Errorf("response: find account: %w", err)
	}
	if !auth.Role(role).Can(auth.PermResponseRespond) {
		return nil, errs.Invalid("account", "response_dispatch.responder.account_not_responder")
	}
	return id, nil
}

// responderConflict turns a unique violation into the field error it means: the person,
// or the account, is a responder already.
func responderConflict(err error) error {
	if !db.IsUnique(err) {
		return fmt.Errorf("response: save responder: %w", err)
	}
	if strings.Contains(err.Error(), "account") {
		return &errs.Error{Code: errs.CodeConflict, Field: "account", Key: "response_dispatch.responder.account_taken"}
	}
	return &errs.Error{Code: errs.CodeConflict, Field: "person", Key: "response_dispatch.responder.person_taken"}
}
