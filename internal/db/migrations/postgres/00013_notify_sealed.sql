-- +goose Up
-- sealed_fields holds a sensitive delivery's recipient, subject and bodies (a reporter's,
-- responder's or subscriber's address) as one vault ciphertext; the clear columns of such a
-- row stay empty. NULL for every other delivery.
ALTER TABLE deliveries ADD COLUMN sealed_fields BYTEA;

-- +goose Down
ALTER TABLE deliveries DROP COLUMN sealed_fields;
