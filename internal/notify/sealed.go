package notify

import (
	"context"
	"encoding/json"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Sealer encrypts and decrypts a field bound to its table, row and column, and learns
// which columns hold ciphertext so that key rotation re-encrypts them. (*vault.Vault)
// satisfies it.
type Sealer interface {
	Encrypt(table string, id int64, field string, plaintext []byte) ([]byte, error)
	Decrypt(table string, id int64, field string, ciphertext []byte) ([]byte, error)
	RegisterField(table, idColumn, column string)
}

// SetSealer gives the service the vault that keeps sensitive deliveries (a reporter's
// phone, a subscriber's address) encrypted in the delivery log. Call it at start-up.
func (s *Service) SetSealer(v Sealer) {
	s.sealer = v
	v.RegisterField("deliveries", "id", "sealed_fields")
}

// sealedMessage is what a sensitive delivery keeps in sealed_fields, encrypted as one
// value; its clear columns stay empty.
type sealedMessage struct {
	To      string `json:"to"`
	Subject string `json:"subject,omitempty"`
	Text    string `json:"text"`
	HTML    string `json:"html,omitempty"`
}

// seal writes d's recipient and message as ciphertext into delivery id's row.
func (s *Service) seal(ctx context.Context, tx *db.Tx, id int64, d delivery) error {
	plain, err := json.Marshal(sealedMessage{To: d.to, Subject: d.subject, Text: d.text, HTML: d.html})
	if err != nil {
		return errs.Internalf("notify: seal delivery %d: %w", id, err)
	}
	ct, err := s.sealer.Encrypt("deliveries", id, "sealed_fields", plain)
	if err != nil {
		return err // a sealed vault: errs.Sealed(), which callers show as such
	}
	if _, err := tx.ExecContext(ctx, "UPDATE deliveries SET sealed_fields = ? WHERE id = ?", ct, id); err != nil {
		return errs.Internalf("notify: seal delivery %d: %w", id, err)
	}
	return nil
}

// unseal decrypts sensitive delivery id's sealed fields into d.
func (s *Service) unseal(id int64, ct []byte, d *delivery) error {
	if s.sealer == nil {
		return errs.Sealed()
	}
	plain, err := s.sealer.Decrypt("deliveries", id, "sealed_fields", ct)
	if err != nil {
		return err
	}
	var m sealedMessage
	if err := json.Unmarshal(plain, &m); err != nil {
		return errs.Internalf("notify: delivery %d: sealed fields do not parse", id)
	}
	d.to, d.subject, d.text, d.html = m.To, m.Subject, m.Text, m.HTML
	return nil
}
