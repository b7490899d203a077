-- +goose Up
-- The people a channel may reach, in person order and nothing else: a segment count on
-- "e-mail (or SMS) consent granted" merges these with its other conditions' ids. Through
-- consents_status the same ids cost about twice as much to read (each entry also holds,
-- and is checked against, the channel and status texts, and the index is half empty
-- because every channel and status grows in the middle). PostgreSQL uses them only in a
-- plan made for the values, which segment counts ask for (internal/people
-- segment_sql.go).
CREATE INDEX consents_email_granted ON consents (person_id) WHERE channel = 'email' AND status = 'granted';
CREATE INDEX consents_sms_granted ON consents (person_id) WHERE channel = 'sms' AND status = 'granted';

-- +goose Down
DROP INDEX consents_sms_granted;
DROP INDEX consents_email_granted;
