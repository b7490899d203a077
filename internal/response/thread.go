package response

import (
	"context"
	"fmt"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
	"solidarity/internal/notify"
)

// messagesTable holds the SMS threads of reports; its body column is vault ciphertext.
const messagesTable = "response_messages"

// MaxReply is the longest reply a dispatcher may text (two SMS segments).
const MaxReply = 320

// The directions of a thread message.
const (
	DirectionIn  = "in"  // from the reporter
	DirectionOut = "out" // a dispatcher's reply
)

// Message is one text message of a report's thread.
type Message struct {
	ID        int64
	Direction string
	// Body is the text; empty with Purged when retention has deleted it.
	Body   string
	Purged bool
	// AuthorName is the dispatcher who replied ("" for the reporter).
	AuthorName string
	At         time.Time
}

// appendMessage adds a message to report id's thread, its body encrypted.
func (s *Service) appendMessage(ctx context.Context, tx *db.Tx, reportID int64, direction, body, author string) error {
	id, err := tx.Insert(ctx, "INSERT INTO response_messages (report_id, direction, author_name, created_at) VALUES (?, ?, ?, ?)",
		reportID, direction, author, tx.Now)
	if err != nil {
		return fmt.Errorf("response: add to thread: %w", err)
	}
	ct, err := s.vault.EncryptString(messagesTable, id, "body", body)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE response_messages SET body = ? WHERE id = ?", ct, id); err != nil {
		return fmt.Errorf("response: add to thread: %w", err)
	}
	return nil
}

// loadThread reads and decrypts report id's thread, oldest first.
func (s *Service) loadThread(ctx context.Context, q db.Queryer, reportID int64) ([]Message, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, direction, body, author_name, created_at FROM response_messages WHERE report_id = ? ORDER BY id", reportID)
	if err != nil {
		return nil, fmt.Errorf("response: read thread: %w", err)
	}
	defer rows.Close()
	var out []Message
	var sealed [][]byte
	for rows.Next() {
		var m Message
		var ct []byte
		if err := rows.Scan(&m.ID, &m.Direction, &ct, &m.AuthorName, &m.At); err != nil {
			return nil, fmt.Errorf("response: read thread: %w", err)
		}
		out = append(out, m)
		sealed = append(sealed, ct)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("response: read thread: %w", err)
	}
	for i := range out {
		if len(sealed[i]) == 0 {
			out[i].Purged = true
			continue
		}
		if out[i].Body, err = s.vault.DecryptString(messagesTable, out[i].ID, "body", sealed[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// reporterPhone decrypts report id's callback phone ("" when none is on file).
func (s *Service) reporterPhone(ctx context.Context, q db.Queryer, id int64) (string, error) {
	var ct []byte
	if err := q.QueryRowContext(ctx, "SELECT reporter_phone FROM response_reports WHERE id = ?", id).Scan(&ct); err != nil {
		return "", db.Translate(err, "response.report.not_found", "")
	}
	if len(ct) == 0 {
		return "", nil
	}
	return s.vault.DecryptString(reportsTable, id, "reporter_phone", ct)
}

// Reply texts a dispatcher's message to the reporter of report id (response.dispatch) and
// keeps it in the report's thread. The message is queued in the same transaction, with
// the number and body encrypted in the delivery log; what it says is the dispatcher's
// responsibility (the form reminds them that texts carry no sensitive detail).
func (s *Service) Reply(ctx context.Context, actor auth.Actor, id int64, body string) error {
	if err := actor.Require(auth.PermResponseDispatch); err != nil {
		return err
	}
	body, ok := intakeBlock(body, MaxReply)
	switch {
	case !ok:
		return errs.Invalid("body", "response.error.reply")
	case body == "":
		return errs.Invalid("body", "response.error.reply_required")
	}
	if s.vault.Sealed() {
		return errs.Sealed()
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		r, err := loadReport(ctx, tx, id)
		if err != nil {
			return err
		}
		phone, err := s.reporterPhone(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		if phone == "" {
			return errs.Invalid("body", "response.error.reply_no_phone")
		}
		if _, err := s.notify.SMS(ctx, tx, notify.SMS{To: phone, Body: body, Purpose: "response.reply", Sensitive: true}); err != nil {
			return err
		}
		if err := s.appendMessage(ctx, tx, r.ID, DirectionOut, body, actor.Name); err != nil {
			return err
		}
		if err := addHistory(ctx, tx, r.ID, actor, historyReply, "", "", ""); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "response.report.reply", reportObject(r.ID), "read=reporter_phone"); err != nil {
			return err
		}
		return s.boardChanged(ctx, tx, r.ID)
	})
}
